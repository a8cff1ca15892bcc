package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** $select, $filter, $orderby, $top and $count over the fixture accounts and contacts. */
class QueryTest extends EmulatorTest {

    private List<String> names(String query) {
        Response r = api.get(query);
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        for (JsonNode row : r.json().path("value")) {
            out.add(row.path("name").asText());
        }
        return out;
    }

    @Test
    void lookupNamesOfAPolymorphicLookupWhoseTargetsIncludeNamelessTables() {
        // regardingobjectid may point at any table, some without a primary name column (roleprivileges): its
        // formatted value is then null, on H2 and MariaDB alike
        String account = api.post("accounts", "{\"name\":\"Regarded\"}", "Prefer", "return=representation").json().path("accountid").asText();
        assertEquals(204, api.post("tasks", "{\"subject\":\"about it\",\"regardingobjectid_account@odata.bind\":\"/accounts(" + account + ")\"}").status());
        Response r = api.get("asyncoperations?$select=name,_regardingobjectid_value", "Prefer", "odata.include-annotations=\"*\"");
        assertEquals(200, r.status(), r.body());
        Response task = api.get("tasks?$select=subject,_regardingobjectid_value&$filter=subject%20eq%20'about%20it'", "Prefer", "odata.include-annotations=\"*\"");
        assertEquals(200, task.status(), task.body());
        assertEquals("Regarded", task.json().path("value").get(0).path("_regardingobjectid_value@OData.Community.Display.V1.FormattedValue").asText());
    }

    @Test
    void columnComparison() {
        api.post("accounts", "{\"name\":\"cc-over\",\"telephone1\":\"colcmp\",\"creditlimit\":500,\"revenue\":100}");
        api.post("accounts", "{\"name\":\"cc-under\",\"telephone1\":\"colcmp\",\"creditlimit\":50,\"revenue\":100}");
        api.post("accounts", "{\"name\":\"cc-equal\",\"telephone1\":\"colcmp\",\"creditlimit\":100,\"revenue\":100,\"numberofemployees\":100}");
        String tagged = "accounts?$select=name&$orderby=name&$filter=telephone1%20eq%20'colcmp'%20and%20";
        assertEquals(List.of("cc-over"), names(tagged + "creditlimit%20gt%20revenue"));
        assertEquals(List.of("cc-equal", "cc-under"), names(tagged + "creditlimit%20le%20revenue"));
        assertEquals(List.of("cc-equal"), names(tagged + "revenue%20eq%20creditlimit"));
        assertEquals(List.of("cc-equal"), names(tagged + "numberofemployees%20eq%20revenue"), "whole numbers compare with money");
        Response mixed = api.get(tagged + "name%20eq%20creditlimit");
        assertEquals(400, mixed.status(), mixed.body());
    }

    @Test
    void comparisonOperators() {
        assertEquals(List.of("Contoso Ltd"), names("accounts?$select=name&$filter=name%20eq%20'Contoso%20Ltd'"));
        assertEquals(List.of("Contoso Ltd"), names("accounts?$select=name&$filter=name%20eq%20'contoso%20LTD'"), "text compares case-insensitively");
        assertEquals(List.of("Adventure Works", "Fabrikam Inc"), names("accounts?$select=name&$filter=name%20ne%20'Contoso%20Ltd'&$orderby=name"));
        assertEquals(List.of("Adventure Works", "Contoso Ltd"), names("accounts?$select=name&$filter=creditlimit%20gt%2020000&$orderby=name"));
        assertEquals(List.of("Adventure Works", "Contoso Ltd", "Fabrikam Inc"), names("accounts?$select=name&$filter=creditlimit%20ge%2020000&$orderby=name"));
        assertEquals(List.of("Fabrikam Inc"), names("accounts?$select=name&$filter=numberofemployees%20lt%20100"));
        assertEquals(List.of("Fabrikam Inc"), names("accounts?$select=name&$filter=numberofemployees%20le%2040"));
        assertEquals(List.of("Fabrikam Inc"), names("accounts?$select=name&$filter=creditonhold%20eq%20true"));
        assertEquals(List.of("Adventure Works", "Fabrikam Inc"), names("accounts?$select=name&$filter=customertypecode%20eq%208%20or%20customertypecode%20eq%205&$orderby=name"));
    }

    @Test
    void logicalOperatorsAndParentheses() {
        assertEquals(List.of("Contoso Ltd"), names("accounts?$select=name&$filter=creditlimit%20gt%2010000%20and%20numberofemployees%20lt%20500%20and%20creditonhold%20eq%20false"));
        assertEquals(List.of("Adventure Works", "Fabrikam Inc"),
                names("accounts?$select=name&$filter=not%20(name%20eq%20'Contoso%20Ltd')&$orderby=name"));
        assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"),
                names("accounts?$select=name&$filter=(numberofemployees%20lt%20100%20or%20numberofemployees%20eq%20250)%20and%20name%20ne%20'x'&$orderby=name"));
    }

    @Test
    void nullsGuidsAndLookups() {
        assertEquals(List.of("Adventure Works"), names("accounts?$select=name&$filter=_parentaccountid_value%20eq%2000000000-0000-0000-0000-00000000ac01"));
        assertEquals(List.of("Adventure Works"), names("accounts?$select=name&$filter=_parentaccountid_value%20ne%20null"));
        assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), names("accounts?$select=name&$filter=_parentaccountid_value%20eq%20null&$orderby=name"));
        assertEquals(List.of("Contoso Ltd"), names("accounts?$select=name&$filter=accountid%20eq%2000000000-0000-0000-0000-00000000ac01"));
        assertEquals(List.of("Fabrikam Inc"), names("accounts?$select=name&$filter=telephone1%20eq%20'555-0200'"));
    }

    @Test
    void stringFunctions() {
        assertEquals(List.of("Adventure Works"), names("accounts?$select=name&$filter=contains(name,'works')"));
        assertEquals(List.of("Contoso Ltd"), names("accounts?$select=name&$filter=startswith(name,'Con')"));
        assertEquals(List.of("Fabrikam Inc"), names("accounts?$select=name&$filter=endswith(name,'Inc')"));
        assertEquals(List.of("Adventure Works", "Fabrikam Inc"), names("accounts?$select=name&$filter=not%20startswith(name,'Con')&$orderby=name"));
        assertEquals(List.of(), names("accounts?$select=name&$filter=contains(name,'O''Brien')"));
    }

    @Test
    void datesCompareAsInstants() {
        api.post("/admin/clock", "{\"set\":\"2030-01-01T00:00:00Z\",\"freeze\":true}");
        api.post("accounts", "{\"name\":\"Future\"}");
        assertEquals(List.of("Future"), names("accounts?$select=name&$filter=createdon%20ge%202029-12-31T00:00:00Z"));
        List<String> contacts = new ArrayList<>();
        Response dated = api.get("contacts?$select=fullname,birthdate&$filter=birthdate%20lt%201990-01-01");
        assertEquals(200, dated.status(), dated.body());
        assertTrue(dated.body().contains("\"birthdate\":\"1984-03-02\""), "DateOnly is written as a date: " + dated.body());
        for (JsonNode c : dated.json().path("value")) {
            contacts.add(c.path("fullname").asText());
        }
        assertEquals(List.of("Yvonne McKay"), contacts);
    }

    @Test
    void orderByTopAndCount() {
        assertEquals(List.of("Adventure Works", "Contoso Ltd", "Fabrikam Inc"), names("accounts?$select=name&$orderby=name%20asc"));
        assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), names("accounts?$select=name&$orderby=creditonhold,numberofemployees%20desc&$top=2&$filter=numberofemployees%20lt%201000"));
        assertEquals(List.of("Adventure Works"), names("accounts?$select=name&$orderby=revenue%20desc&$top=1"));

        JsonNode counted = api.get("accounts?$select=name&$top=1&$count=true&$filter=creditlimit%20gt%200").json();
        assertEquals(3, counted.path("@odata.count").asInt());
        assertEquals(1, counted.path("value").size());
        assertTrue(counted.path("@odata.context").asText().endsWith("$metadata#accounts(name)"));

        Response count = api.get("accounts/$count?$filter=creditonhold%20eq%20false");
        assertEquals(200, count.status());
        assertTrue(count.header("Content-Type").startsWith("text/plain"));
        assertEquals("2", count.body().trim());
    }

    @Test
    void selectReturnsOnlyTheNamedColumnsAndTheKey() {
        JsonNode row = api.get("accounts?$select=name&$top=1").json().path("value").get(0);
        List<String> fields = new ArrayList<>();
        row.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("@odata.etag", "accountid", "name"), fields);
        JsonNode all = api.get("accounts?$top=1").json().path("value").get(0);
        assertTrue(all.has("_ownerid_value") && all.has("creditlimit") && all.has("statecode"), all.toString());
        assertTrue(all.path("creditlimit").isNumber());
    }

    @Test
    void everyEntitySetCanBeQueried() {
        String[] sets = {"workflows", "asyncoperations", "processsessions", "workflowlogs", "systemusers", "businessunits", "teams",
                "roles", "privileges", "organizations", "accounts", "contacts", "tasks", "emails", "savedqueries", "userqueries",
                "serviceendpoints", "sdkmessageprocessingsteps"};
        for (String s : sets) {
            Response r = api.get(s + "?$top=5&$count=true");
            assertEquals(200, r.status(), s + ": " + r.body());
            assertTrue(r.json().path("value").isArray(), s);
        }
        assertEquals(6, api.get("systemusers?$count=true").json().path("@odata.count").asInt());
        assertEquals(2, api.get("businessunits?$count=true").json().path("@odata.count").asInt());
    }

    @Test
    void filteredNavigationCollection() {
        JsonNode rows = api.get("accounts(00000000-0000-0000-0000-00000000ac01)/contact_customer_accounts?$select=fullname").json().path("value");
        assertEquals(1, rows.size());
        assertEquals("Yvonne McKay", rows.get(0).path("fullname").asText());
    }
}
