package dev.dve.store;

import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import dev.dve.query.ColumnComparison;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.FilterExpression;
import dev.dve.query.LinkEntity;
import dev.dve.query.LogicalOperator;
import dev.dve.query.Not;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The translated queries run on an in-memory H2 database holding a few accounts and contacts; each test checks the
 * rows that come back. The only checks on SQL text are the ones that matter for safety: values travel as
 * parameters, and names a caller gives (link aliases) never reach the SQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryTranslatorTest {
    private static final String EVIL = "x'); DROP TABLE accountbase; --";
    private final MetadataCatalog catalog = new MetadataLoader().load(List.of());
    private Database database;
    private RecordStore store;
    private final UUID alpha = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private final UUID beta = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
    private final UUID twinLow = UUID.fromString("00000000-0000-0000-0000-0000000000a3");
    private final UUID twinHigh = UUID.fromString("00000000-0000-0000-0000-0000000000a4");
    private final UUID evil = UUID.fromString("00000000-0000-0000-0000-0000000000a5");

    @BeforeAll
    void rows() {
        database = new Database(DatabaseConfig.inMemoryH2("translator-" + UUID.randomUUID()));
        new SchemaBuilder(catalog, database).apply();
        store = new RecordStore(catalog, database.dialect());
        database.inTransaction(c -> {
            store.insert(c, account(alpha, "Alpha Corp", 10, "100", "50", "first", null));
            store.insert(c, account(beta, "beta ltd", 200, "20", "80", null, alpha));
            // inserted high id first: the order by key must not come from insertion order
            store.insert(c, account(twinHigh, "Twin", 30, null, "10", "second", alpha));
            store.insert(c, account(twinLow, "Twin", 40, "5", null, "third", null));
            store.insert(c, account(evil, EVIL, null, null, null, null, null));
            store.insert(c, contact("Ann", alpha));
            store.insert(c, contact("Bob", beta));
            store.insert(c, contact("Cid", null));
            return null;
        });
    }

    @AfterAll
    void close() {
        database.close();
    }

    private static Entity account(UUID id, String name, Integer employees, String credit, String revenue, String description, UUID parent) {
        Entity e = new Entity("account", id);
        e.set("name", name);
        e.set("numberofemployees", employees);
        e.set("creditlimit", credit == null ? null : new BigDecimal(credit));
        e.set("revenue", revenue == null ? null : new BigDecimal(revenue));
        e.set("description", description);
        e.set("parentaccountid", parent == null ? null : new EntityReference("account", parent));
        return e;
    }

    private static Entity contact(String lastname, UUID account) {
        Entity e = new Entity("contact", UUID.randomUUID());
        e.set("lastname", lastname);
        e.set("parentcustomerid", account == null ? null : new EntityReference("account", account));
        return e;
    }

    private List<String> names(QueryExpression q) {
        return database.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            for (Entity row : store.retrieveMultiple(c, q)) {
                out.add(String.valueOf(row.get(q.entityName().equals("contact") ? "lastname" : "name")));
            }
            return out;
        });
    }

    private List<String> accounts(dev.dve.query.Criterion where) {
        return names(new QueryExpression("account").columns(List.of("name")).where(where).orderBy("name", false));
    }

    @Test
    void comparisonsSelectTheirRows() {
        assertEquals(List.of("Alpha Corp"), accounts(Condition.of("name", ConditionOperator.EQUAL, "Alpha Corp")));
        assertEquals(List.of("Twin", "beta ltd"), accounts(Condition.of("numberofemployees", ConditionOperator.GREATER_THAN, 30))
                .stream().sorted().toList());
        assertEquals(List.of("Alpha Corp", "Twin"), accounts(Condition.of("numberofemployees", ConditionOperator.LESS_EQUAL, 30)));
        assertEquals(List.of("Alpha Corp", "Twin"), accounts(Condition.of("numberofemployees", ConditionOperator.BETWEEN, 10, 30)));
        assertEquals(List.of("Twin", "beta ltd"), accounts(Condition.of("numberofemployees", ConditionOperator.IN, 40, 200)).stream().sorted().toList());
        assertEquals(List.of(EVIL), accounts(Condition.of("numberofemployees", ConditionOperator.NULL)));
        assertEquals(4, accounts(Condition.of("numberofemployees", ConditionOperator.NOT_NULL)).size());
    }

    @Test
    void maskSelectsTheRowsSharingABitWithTheValue() {
        // employees: Alpha 10 (1010), beta 200 (11001000), Twin 30 (11110) and 40 (101000), EVIL none
        assertEquals(List.of("Alpha Corp", "Twin"), accounts(Condition.of("numberofemployees", ConditionOperator.MASK, 2)));
        assertEquals(List.of("beta ltd"), accounts(Condition.of("numberofemployees", ConditionOperator.MASK, 64)));
        assertEquals(List.of("Alpha Corp", "Twin", "beta ltd"), accounts(Condition.of("numberofemployees", ConditionOperator.MASK, 66))
                .stream().sorted().toList());
        assertEquals(List.of(), accounts(Condition.of("numberofemployees", ConditionOperator.MASK, 1)));
    }

    @Test
    void hierarchyConditionsWalkInTheStatementItself() {
        dev.dve.query.HierarchyCondition.Direction below = dev.dve.query.HierarchyCondition.Direction.BELOW;
        dev.dve.query.HierarchyCondition.Direction above = dev.dve.query.HierarchyCondition.Direction.ABOVE;
        assertEquals(List.of("beta ltd", "Twin"), accounts(new dev.dve.query.HierarchyCondition("accountid", "account", alpha, below, false, false)));
        assertEquals(List.of("Alpha Corp", "beta ltd", "Twin"), accounts(new dev.dve.query.HierarchyCondition("accountid", "account", alpha, below, true, false)));
        assertEquals(List.of("Alpha Corp"), accounts(new dev.dve.query.HierarchyCondition("accountid", "account", beta, above, false, false)));
        assertEquals(List.of("Alpha Corp", "Twin", EVIL), accounts(new dev.dve.query.HierarchyCondition("accountid", "account", alpha, below, false, true)),
                "NotUnder: the rows outside the subtree, the root and the other twin");
        assertEquals(List.of("Twin"), accounts(new dev.dve.query.HierarchyCondition("accountid", "account", alpha, below, false, false)
                .walkingOnly(Condition.of("name", ConditionOperator.EQUAL, "Twin"))), "the walk passes only rows meeting its filter");
        // contacts whose account is alpha or below it: the compared column is a lookup, the walked entity another table
        assertEquals(List.of("Ann", "Bob"), names(new QueryExpression("contact").columns(List.of("lastname")).orderBy("lastname", false)
                .where(new dev.dve.query.HierarchyCondition("parentcustomerid", "account", alpha, below, true, false))));
        SqlStatement sql = new QueryTranslator(catalog, database.dialect()).select(new QueryExpression("account").columns(List.of("name"))
                .where(new dev.dve.query.HierarchyCondition("accountid", "account", alpha, below, false, false)));
        assertTrue(sql.sql().contains("WITH RECURSIVE"), sql.sql());
        assertFalse(sql.sql().contains(alpha.toString()), "the root travels as a parameter: " + sql.sql());
        assertTrue(sql.parameters().contains(dev.dve.query.HierarchyCondition.MAX_DEPTH), "and so does the depth bound");
    }

    @Test
    void aPerGroupLimitKeepsTheFirstRowsOfEachGroup() {
        // contacts by account, at most one per account, the last name first: Bob for beta, Ann for alpha, Cid (no account)
        QueryExpression q = new QueryExpression("contact").columns(List.of("lastname")).orderBy("lastname", true)
                .perGroupLimit(new QueryExpression.PerGroupLimit("parentcustomerid", 1));
        assertEquals(List.of("Cid", "Bob", "Ann"), names(q), "in the query's order");
        Entity abe = contact("Abe", alpha);
        Entity amy = contact("Amy", alpha);
        database.inTransaction(c -> {
            store.insert(c, abe);
            store.insert(c, amy);
            return null;
        });
        try {
            assertEquals(List.of("Cid", "Bob", "Ann"), names(q), "Ann is alpha's last name in that order");
            q.perGroupLimit(new QueryExpression.PerGroupLimit("parentcustomerid", 2));
            assertEquals(List.of("Cid", "Bob", "Ann", "Amy"), names(q));
            q.top(2);
            assertEquals(List.of("Cid", "Bob"), names(q), "a top still limits the whole");
            QueryExpression ascending = new QueryExpression("contact").columns(List.of("lastname")).orderBy("lastname", false)
                    .where(Condition.of("parentcustomerid", ConditionOperator.EQUAL, alpha))
                    .perGroupLimit(new QueryExpression.PerGroupLimit("parentcustomerid", 2));
            assertEquals(List.of("Abe", "Amy"), names(ascending));
        } finally {
            database.inTransaction(c -> store.delete(c, "contact", abe.id(), null) && store.delete(c, "contact", amy.id(), null));
        }
    }

    @Test
    void notEqualKeepsNullsAsDataverseDoes() {
        List<String> notFirst = accounts(Condition.of("description", ConditionOperator.NOT_EQUAL, "first"));
        assertEquals(4, notFirst.size(), "the three others, two with no description: " + notFirst);
        assertFalse(notFirst.contains("Alpha Corp"));
        assertTrue(notFirst.contains("beta ltd") && notFirst.contains(EVIL), "rows with no description are not 'first' either");
        assertEquals(List.of("Alpha Corp", "beta ltd"), accounts(Condition.of("name", ConditionOperator.NOT_IN, "Twin", EVIL)));
    }

    @Test
    void textOperatorsIgnoreCase() {
        assertEquals(List.of("beta ltd"), accounts(Condition.of("name", ConditionOperator.BEGINS_WITH, "BETA")));
        assertEquals(List.of("Alpha Corp"), accounts(Condition.of("name", ConditionOperator.ENDS_WITH, "corp")));
        assertEquals(List.of("Alpha Corp"), accounts(Condition.of("name", ConditionOperator.LIKE, "%CORP%")));
    }

    @Test
    void logicalOperatorsAndNot() {
        FilterExpression either = new FilterExpression(LogicalOperator.OR, List.of(
                Condition.of("name", ConditionOperator.EQUAL, "Alpha Corp"), Condition.of("numberofemployees", ConditionOperator.EQUAL, 40)));
        assertEquals(List.of("Alpha Corp", "Twin"), accounts(either));
        assertEquals(List.of("Alpha Corp"), accounts(FilterExpression.and(either, Condition.of("description", ConditionOperator.EQUAL, "first"))));
        List<String> neither = accounts(new Not(either));
        assertFalse(neither.contains("Alpha Corp"), neither.toString());
        assertTrue(neither.contains("beta ltd") && neither.contains("Twin"), "the other twin has 30 employees: " + neither);
    }

    @Test
    void columnComparisonComparesTheRowsOwnValues() {
        assertEquals(List.of("Alpha Corp"), accounts(new ColumnComparison("creditlimit", ConditionOperator.GREATER_THAN, "revenue")),
                "a null on either side never compares");
        assertEquals(List.of("beta ltd"), accounts(new ColumnComparison("creditlimit", ConditionOperator.LESS_THAN, "revenue")));
    }

    @Test
    void resultsAreOrderedByTheKeyLast() {
        QueryExpression twins = new QueryExpression("account").columns(List.of("name", "description"))
                .where(Condition.of("name", ConditionOperator.EQUAL, "Twin")).orderBy("name", false);
        List<String> order = database.inTransaction(c -> store.retrieveMultiple(c, twins).stream().map(e -> (String) e.get("description")).toList());
        assertEquals(List.of("third", "second"), order, "equal names: the lower id first, whatever the insertion order");
        List<String> byStaff = database.inTransaction(c -> store.retrieveMultiple(c, new QueryExpression("account").columns(List.of("description"))
                .where(Condition.of("numberofemployees", ConditionOperator.NOT_NULL)).orderBy("numberofemployees", true).top(3))
                .stream().map(e -> String.valueOf(e.get("description"))).toList());
        assertEquals(List.of("null", "third", "second"), byStaff, "200, 40, 30 employees");
    }

    @Test
    void topAndCount() {
        QueryExpression all = new QueryExpression("account").columns(List.of("name")).orderBy("name", false);
        assertEquals(2, names(all.top(2)).size());
        long count = database.inTransaction(c -> store.count(c, new QueryExpression("account").where(Condition.of("name", ConditionOperator.EQUAL, "Twin"))));
        assertEquals(2, count);
    }

    @Test
    void linkedRowsJoinAndFilter() {
        LinkEntity parent = new LinkEntity("account", "accountid", "parentcustomerid", "p", false, List.of("name"),
                new FilterExpression(LogicalOperator.AND, List.of(Condition.of("numberofemployees", ConditionOperator.LESS_THAN, 100))), null);
        List<Entity> rows = database.inTransaction(c -> store.retrieveMultiple(c, new QueryExpression("contact").columns(List.of("lastname"))
                .link(parent).orderBy("lastname", false)));
        assertEquals(List.of("Ann"), rows.stream().map(e -> (String) e.get("lastname")).toList(), "inner join, filtered inside the link");
        assertEquals("Alpha Corp", rows.get(0).get("p.name"));
        LinkEntity outer = new LinkEntity("account", "accountid", "parentcustomerid", "p", true, List.of("name"), null, null);
        List<Entity> all = database.inTransaction(c -> store.retrieveMultiple(c, new QueryExpression("contact").columns(List.of("lastname"))
                .link(outer).where(Condition.of("p.name", ConditionOperator.NULL)).orderBy("lastname", false)));
        assertEquals(List.of("Cid"), all.stream().map(e -> (String) e.get("lastname")).toList(), "outer join: no parent account");
    }

    @Test
    void userValuesTravelOnlyAsParametersAndFindTheirRow() {
        QueryExpression q = new QueryExpression("account").columns(List.of("name"))
                .where(new FilterExpression(LogicalOperator.OR, List.of(
                        Condition.of("name", ConditionOperator.EQUAL, EVIL),
                        Condition.of("name", ConditionOperator.BEGINS_WITH, EVIL))))
                .orderBy("name", true).top(5);
        assertEquals(List.of(EVIL), names(q), "the value is data: it matches its row");
        assertEquals(5, accounts(Condition.of("name", ConditionOperator.NOT_NULL)).size(), "and no table was dropped");
        for (SqlDialect d : List.of(new H2Dialect(), new MariaDbDialect())) {
            SqlStatement s = new QueryTranslator(catalog, d).select(q);
            assertFalse(s.sql().contains("DROP"), s.sql());
            assertEquals(List.of(EVIL, EVIL + "%", 5), s.parameters());
        }
    }

    @Test
    void aCallersAliasNeverReachesTheSql() {
        String alias = "p\"; DROP TABLE contactbase; --";
        LinkEntity parent = new LinkEntity("account", "accountid", "parentcustomerid", alias, false, List.of("name"), null, null);
        QueryExpression q = new QueryExpression("contact").columns(List.of("lastname")).link(parent)
                .where(Condition.of(alias + ".name", ConditionOperator.EQUAL, "beta ltd"));
        for (SqlDialect d : List.of(new H2Dialect(), new MariaDbDialect())) {
            String sql = new QueryTranslator(catalog, d).select(q).sql();
            assertFalse(sql.contains("DROP") || sql.contains(alias), sql);
        }
        List<Entity> rows = database.inTransaction(c -> store.retrieveMultiple(c, q));
        assertEquals(List.of("Bob"), rows.stream().map(e -> (String) e.get("lastname")).toList());
        assertTrue(rows.stream().allMatch(e -> Objects.equals("beta ltd", e.get(alias + ".name"))), "the joined column comes back under the alias");
    }
}
