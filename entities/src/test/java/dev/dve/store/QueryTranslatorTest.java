package dev.dve.store;

import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.FilterExpression;
import dev.dve.query.LogicalOperator;
import dev.dve.query.Not;
import dev.dve.query.QueryExpression;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryTranslatorTest {
    private final MetadataCatalog catalog = new MetadataLoader().load(List.of());

    @Test
    void userValuesTravelOnlyAsParameters() {
        String evil = "x'); DROP TABLE accountbase; --";
        QueryExpression q = new QueryExpression("account").columns(List.of("name"))
                .where(new FilterExpression(LogicalOperator.OR, List.of(
                        Condition.of("name", ConditionOperator.EQUAL, evil),
                        new Not(Condition.of("name", ConditionOperator.BEGINS_WITH, evil)))))
                .orderBy("name", true).top(5);
        for (SqlDialect d : List.of(new H2Dialect(), new MariaDbDialect())) {
            SqlStatement s = new QueryTranslator(catalog, d).select(q);
            assertFalse(s.sql().contains("DROP"), s.sql());
            assertEquals(List.of(evil, evil + "%", 5), s.parameters());
            assertTrue(s.sql().endsWith(" LIMIT ?"), s.sql());
        }
    }

    @Test
    void notEqualKeepsNullsAsDataverseDoes() {
        SqlStatement s = new QueryTranslator(catalog, new H2Dialect()).select(new QueryExpression("account").columns(List.of("name"))
                .where(Condition.of("name", ConditionOperator.NOT_EQUAL, "a")));
        assertTrue(s.sql().contains("(t.\"name\" <> ? OR t.\"name\" IS NULL)"), s.sql());
    }

    @Test
    void resultsAreOrderedByTheKeyLast() {
        SqlStatement s = new QueryTranslator(catalog, new MariaDbDialect()).select(new QueryExpression("account").orderBy("name", false));
        assertTrue(s.sql().endsWith("ORDER BY t.`name` ASC, t.`accountid` ASC"), s.sql());
    }
}
