package dev.dve.server.webapi;

import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.QueryExpression;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.TestDatabases;
import dev.dve.store.SqlStatement;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An Advanced Find–style query over 100 000 accounts (two conditions, an order, $top=50) is answered from an
 * index on MariaDB: the plan names the index and reads far fewer rows than the table holds.
 */
class QueryPlanTest extends EmulatorTest {

    @Test
    void advancedFindQueryUsesAnIndexOnMariaDb() throws Exception {
        assumeTrue(TestDatabases.mariaDb(), "the plan is checked on MariaDB");
        var db = server.runtime().database();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO `accountbase` (`accountid`, `name`, `statecode`, `statuscode`, `creditlimit`, `versionnumber`) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 100_000; i++) {
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.setString(2, String.format("Bulk %06d", i));
                    ps.setInt(3, i % 10 == 0 ? 1 : 0);
                    ps.setInt(4, i % 10 == 0 ? 2 : 1);
                    ps.setInt(5, i % 1000);
                    ps.setLong(6, i);
                    ps.addBatch();
                    if (i % 5000 == 4999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement analyze = c.prepareStatement("ANALYZE TABLE `accountbase`")) {
                analyze.execute();
            }
            return null;
        });
        // what $filter=statecode eq 0 and startswith(name,'Bulk 01')&$orderby=name&$top=50 becomes
        QueryExpression q = new QueryExpression("account").columns(List.of("name", "creditlimit"))
                .where(Condition.of("statecode", ConditionOperator.EQUAL, 0))
                .where(Condition.of("name", ConditionOperator.BEGINS_WITH, "Bulk 01"))
                .orderBy("name", false).top(50);
        SqlStatement sql = new dev.dve.store.QueryTranslator(server.runtime().catalog(), db.dialect()).select(q);
        String[] plan = db.inTransaction(c -> {
            try (PreparedStatement ps = new SqlStatement("EXPLAIN " + sql.sql(), sql.parameters()).prepare(c); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[]{rs.getString("key"), rs.getString("rows"), rs.getString("type")};
            }
        });
        System.out.println("Plan for [" + sql.sql() + "]: key=" + plan[0] + " rows=" + plan[1] + " type=" + plan[2]);
        assertNotNull(plan[0], "an index is used");
        assertTrue(plan[0].startsWith("ix_accountbase_"), plan[0]);
        assertTrue(!"ALL".equals(plan[2]) && !"index".equals(plan[2]), "no full scan: " + plan[2]);
        assertTrue(Long.parseLong(plan[1]) < 50_000, "the range read is a fraction of the 100 000 rows: " + plan[1]);
        assertEquals(50, api.get("accounts?$select=name&$filter=statecode%20eq%200%20and%20startswith(name,'Bulk%2001')&$orderby=name&$top=50")
                .json().path("value").size());
    }
}
