package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** $apply: groupby and aggregate, translated to one grouping query over the rows the caller may read. */
class ApplyTest extends EmulatorTest {

    private JsonNode apply(String apply) {
        Response r = api.get("accounts?$apply=" + apply);
        assertEquals(200, r.status(), apply + ": " + r.body());
        assertTrue(r.json().path("@odata.context").asText().endsWith("$metadata#accounts"));
        return r.json().path("value");
    }

    @Test
    void groupsAndAggregates() {
        JsonNode distinct = apply("groupby((statecode,statuscode))");
        assertEquals(1, distinct.size());
        assertEquals(0, distinct.get(0).path("statecode").asInt());
        assertEquals(1, distinct.get(0).path("statuscode").asInt());

        JsonNode byType = apply("groupby((customertypecode),aggregate(revenue%20with%20sum%20as%20total,$count%20as%20n))");
        assertEquals(3, byType.size());
        assertEquals(3, byType.get(0).path("customertypecode").asInt());
        assertEquals(0, new java.math.BigDecimal("1200000").compareTo(byType.get(0).path("total").decimalValue()));
        assertEquals(1, byType.get(0).path("n").asInt());

        JsonNode all = apply("aggregate($count%20as%20count,creditlimit%20with%20average%20as%20avg,numberofemployees%20with%20max%20as%20most,numberofemployees%20with%20min%20as%20least)");
        assertEquals(1, all.size());
        assertEquals(3, all.get(0).path("count").asInt());
        assertEquals(1200, all.get(0).path("most").asInt());
        assertEquals(40, all.get(0).path("least").asInt());
        assertEquals(0, new java.math.BigDecimal("56666.6667").compareTo(all.get(0).path("avg").decimalValue().setScale(4, java.math.RoundingMode.HALF_UP)));

        JsonNode kinds = apply("aggregate(customertypecode%20with%20countdistinct%20as%20kinds,creditonhold%20with%20countdistinct%20as%20holds)");
        assertEquals(3, kinds.get(0).path("kinds").asInt());
        assertEquals(2, kinds.get(0).path("holds").asInt());

        JsonNode filtered = apply("filter(creditonhold%20eq%20false)/aggregate($count%20as%20n)");
        assertEquals(2, filtered.get(0).path("n").asInt());
        JsonNode parents = apply("groupby((_parentaccountid_value),aggregate($count%20as%20n))");
        assertEquals(2, parents.size(), "accounts without a parent, and the one with Contoso as parent");
        assertTrue(parents.get(1).path("_parentaccountid_value").asText().endsWith("ac01") || parents.get(0).path("_parentaccountid_value").asText().endsWith("ac01"));
    }

    @Test
    void aggregatesSeeOnlyReadableRowsAndBadApplyIsRefused() {
        JsonNode basic = as("basic@emulator.local").get("accounts?$apply=aggregate($count%20as%20n)").json().path("value");
        assertEquals(1, basic.get(0).path("n").asInt());
        assertEquals(400, api.get("accounts?$apply=groupby((createdon))").status());
        assertEquals(400, api.get("accounts?$apply=aggregate(revenue%20with%20sum)").status());
        assertEquals(400, api.get("accounts?$apply=groupby((nosuch))").status());
    }

    @Test
    void groupByLookupPaths() {
        api.post("contacts", "{\"lastname\":\"Loner\"}");
        api.post("contacts", "{\"lastname\":\"Second\",\"parentcustomerid_account@odata.bind\":\"/accounts(00000000-0000-0000-0000-00000000ac01)\"}");
        Response r = api.get("contacts?$apply=groupby((parentcustomerid_account/name),aggregate($count%20as%20n))");
        assertEquals(200, r.status(), r.body());
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        r.json().path("value").forEach(g -> counts.put(g.path("parentcustomerid_account").isNull() ? "(none)"
                : g.path("parentcustomerid_account").path("name").asText(), g.path("n").asInt()));
        assertEquals(java.util.Map.of("(none)", 1, "Adventure Works", 1, "Contoso Ltd", 2, "Fabrikam Inc", 1), counts);

        JsonNode basic = as("basic@emulator.local").get("contacts?$apply=groupby((parentcustomerid_account/name),aggregate($count%20as%20n))").json().path("value");
        assertEquals(1, basic.size(), "Bailey reads one contact: " + basic);
        assertEquals("Adventure Works", basic.get(0).path("parentcustomerid_account").path("name").asText());

        assertEquals(400, api.get("accounts?$apply=groupby((contact_customer_accounts/fullname))").status(), "collections cannot be grouped by");
        assertEquals(400, api.get("contacts?$apply=groupby((parentcustomerid_account/nosuch))").status());
    }
}
