package dev.dve.server.webapi;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.TestDatabases;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a request costs the database, read from H2's query statistics: a hierarchy function is one statement however
 * deep the hierarchy (not one per level), and an expanded collection's nested $top is cut in its one statement (it
 * returns $top rows per parent, not every related row).
 */
class QueryStatementsTest extends EmulatorTest {

    /** Statement executions and the most rows one of them returned, over the statements reading {@code table}, while the request runs. */
    private long[] statements(String table, Runnable request) {
        assumeTrue(!TestDatabases.mariaDb(), "H2's query statistics");
        var db = server.runtime().database();
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET QUERY_STATISTICS FALSE");
                s.execute("SET QUERY_STATISTICS TRUE");
            }
            return null;
        });
        try {
            request.run();
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(EXECUTION_COUNT), 0), COALESCE(MAX(MAX_ROW_COUNT), 0)"
                        + " FROM INFORMATION_SCHEMA.QUERY_STATISTICS WHERE SQL_STATEMENT LIKE ?")) {
                    ps.setString(1, "SELECT%FROM \"" + table + "\"%");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new long[]{rs.getLong(1), rs.getLong(2)};
                    }
                }
            });
        } finally {
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET QUERY_STATISTICS FALSE");
                }
                return null;
            });
        }
    }

    @Test
    void aHierarchyFunctionIsOneStatement() {
        String parent = null;
        String top = null;
        for (int i = 0; i < 25; i++) {
            String bind = parent == null ? "" : ",\"parentaccountid@odata.bind\":\"/accounts(" + parent + ")\"";
            parent = api.post("accounts", "{\"name\":\"level " + i + "\",\"telephone1\":\"chain\"" + bind + "}", "Prefer", "return=representation")
                    .json().path("accountid").asText();
            top = top == null ? parent : top;
        }
        String root = top;
        Response[] r = new Response[1];
        long[] stats = statements("accountbase", () -> r[0] = api.get("accounts?$select=name&$filter=Microsoft.Dynamics.CRM.Under(PropertyName='accountid',PropertyValue='"
                + root + "')"));
        assertEquals(200, r[0].status(), r[0].body());
        assertEquals(24, r[0].json().path("value").size());
        assertEquals(1, stats[0], "the walk is part of the query's own statement");
    }

    @Test
    void aNestedTopIsCutInTheStatement() {
        String account = api.createAccount("Many contacts");
        for (int i = 0; i < 30; i++) {
            api.post("contacts", "{\"lastname\":\"Contact " + (100 + i) + "\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + account + ")\"}").expect(204);
        }
        Response[] r = new Response[1];
        long[] stats = statements("contactbase", () -> r[0] = api.get("accounts(" + account
                + ")?$select=name&$expand=contact_customer_accounts($select=lastname;$orderby=lastname%20desc;$top=2)"));
        assertEquals(200, r[0].status(), r[0].body());
        assertEquals(java.util.List.of("Contact 129", "Contact 128"), r[0].json().path("contact_customer_accounts").findValuesAsText("lastname"));
        assertEquals(1, stats[0], "one statement for the expanded collection");
        assertEquals(2, stats[1], "which returns the two rows kept, not all thirty");
    }
}
