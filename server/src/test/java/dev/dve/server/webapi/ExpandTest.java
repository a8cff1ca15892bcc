package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** $expand of single-valued and collection-valued navigation properties, nested options, and read security. */
class ExpandTest extends EmulatorTest {
    private static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";

    @Test
    void singleValuedNavigationExpandsToAnObject() {
        api.patch("accounts(" + CONTOSO + ")", "{\"primarycontactid@odata.bind\":\"/contacts(00000000-0000-0000-0000-00000000c001)\"}");
        Response r = api.get("accounts(" + CONTOSO + ")?$select=name&$expand=primarycontactid($select=fullname),ownerid($select=fullname)");
        assertEquals(200, r.status(), r.body());
        JsonNode a = r.json();
        assertEquals("Yvonne McKay", a.path("primarycontactid").path("fullname").asText());
        assertEquals("00000000-0000-0000-0000-00000000c001", a.path("primarycontactid").path("contactid").asText());
        assertEquals("Avery Admin", a.path("ownerid").path("fullname").asText());
        assertTrue(a.path("@odata.context").asText().endsWith("#accounts(name,primarycontactid(fullname),ownerid(fullname))/$entity"),
                a.path("@odata.context").asText());
        JsonNode fabrikam = api.get("accounts(00000000-0000-0000-0000-00000000ac02)?$select=name&$expand=primarycontactid($select=fullname)").json();
        assertTrue(fabrikam.has("primarycontactid") && fabrikam.path("primarycontactid").isNull(), "an empty lookup expands to null");
    }

    @Test
    void collectionValuedNavigationWithNestedOptions() {
        for (String s : new String[]{"Call", "Email back", "Visit", "Call again"}) {
            api.post("tasks", "{\"subject\":\"" + s + "\",\"regardingobjectid_account@odata.bind\":\"/accounts(" + CONTOSO + ")\"}");
        }
        api.post("tasks", "{\"subject\":\"Other\",\"regardingobjectid_account@odata.bind\":\"/accounts(00000000-0000-0000-0000-00000000ac02)\"}");
        Response r = api.get("accounts?$select=name&$filter=startswith(name,'Contoso')%20or%20startswith(name,'Fabrikam')&$orderby=name"
                + "&$expand=Account_Tasks($select=subject;$filter=contains(subject,'Call');$orderby=subject%20desc),contact_customer_accounts($select=fullname)");
        assertEquals(200, r.status(), r.body());
        JsonNode rows = r.json().path("value");
        assertEquals("Contoso Ltd", rows.get(0).path("name").asText());
        JsonNode tasks = rows.get(0).path("Account_Tasks");
        assertEquals(2, tasks.size());
        assertEquals("Call again", tasks.get(0).path("subject").asText());
        assertEquals("Call", tasks.get(1).path("subject").asText());
        assertEquals("Yvonne McKay", rows.get(0).path("contact_customer_accounts").get(0).path("fullname").asText());
        assertEquals(0, rows.get(1).path("Account_Tasks").size(), "Fabrikam's only task does not match the nested filter");

        Response top = api.get("accounts(" + CONTOSO + ")?$select=name&$expand=Account_Tasks($select=subject;$orderby=subject;$top=2)");
        assertEquals(2, top.json().path("Account_Tasks").size());
        assertEquals("Call", top.json().path("Account_Tasks").get(0).path("subject").asText());
    }

    @Test
    void nestedExpandAndRef() {
        Response r = api.get("contacts(00000000-0000-0000-0000-00000000c003)?$select=fullname"
                + "&$expand=parentcustomerid_account($select=name;$expand=parentaccountid($select=name))");
        assertEquals(200, r.status(), r.body());
        JsonNode c = r.json();
        assertEquals("Adventure Works", c.path("parentcustomerid_account").path("name").asText());
        assertEquals("Contoso Ltd", c.path("parentcustomerid_account").path("parentaccountid").path("name").asText());
        JsonNode ref = api.get("accounts(00000000-0000-0000-0000-00000000ac03)?$select=name&$expand=parentaccountid/$ref").json();
        assertEquals(api.api() + "accounts(" + CONTOSO + ")", ref.path("parentaccountid").path("@odata.id").asText());
        Response bad = api.get("accounts?$expand=Account_Tasks/$ref");
        assertEquals(400, bad.status());
        assertEquals("Expand with $ref is only supported on lookup type navigation property.", bad.errorMessage());
        Response badOrder = api.get("accounts?$expand=primarycontactid($orderby=fullname)");
        assertEquals(400, badOrder.status());
    }

    @Test
    void expandedRowsRespectTheCallersReadAccess() {
        api.post("tasks", "{\"subject\":\"Admin's task\",\"regardingobjectid_account@odata.bind\":\"/accounts(00000000-0000-0000-0000-00000000ac03)\"}");
        WebApi basic = as("basic@emulator.local");
        basic.post("tasks", "{\"subject\":\"Basic's task\",\"regardingobjectid_account@odata.bind\":\"/accounts(00000000-0000-0000-0000-00000000ac03)\"}");
        JsonNode a = basic.get("accounts(00000000-0000-0000-0000-00000000ac03)?$select=name&$expand=Account_Tasks($select=subject)").json();
        assertEquals(1, a.path("Account_Tasks").size(), "basic reads its own tasks only");
        assertEquals("Basic's task", a.path("Account_Tasks").get(0).path("subject").asText());
        assertEquals(2, api.get("accounts(00000000-0000-0000-0000-00000000ac03)?$select=name&$expand=Account_Tasks($select=subject)").json()
                .path("Account_Tasks").size());
    }

    /** Six accounts with four contacts each; returns the account ids by name. */
    private java.util.Map<String, String> accountsWithContacts() {
        java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (int p = 1; p <= 6; p++) {
            String id = api.createAccount("Expand P" + p);
            ids.put("Expand P" + p, id);
            for (String c : new String[]{"c2", "c4", "c1", "c3"}) {
                api.post("contacts", "{\"lastname\":\"P" + p + " " + c + "\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + id + ")\"}")
                        .expect(204);
            }
        }
        return ids;
    }

    @Test
    void nestedTopAndOrderByApplyPerParent() {
        accountsWithContacts();
        Response r = api.get("accounts?$select=name&$filter=startswith(name,'Expand%20P')&$orderby=name"
                + "&$expand=contact_customer_accounts($select=lastname;$top=2;$orderby=lastname%20desc)");
        assertEquals(200, r.status(), r.body());
        JsonNode rows = r.json().path("value");
        assertEquals(6, rows.size());
        for (int p = 1; p <= 6; p++) {
            JsonNode row = rows.get(p - 1);
            assertEquals("Expand P" + p, row.path("name").asText());
            JsonNode contacts = row.path("contact_customer_accounts");
            assertEquals(2, contacts.size(), row.toString());
            assertEquals("P" + p + " c4", contacts.get(0).path("lastname").asText());
            assertEquals("P" + p + " c3", contacts.get(1).path("lastname").asText());
            assertTrue(!row.has("contact_customer_accounts@odata.nextLink"), "a $top collection has no next link");
        }

        // the next page of parents gets its own children the same way
        Response page = api.get("accounts?$select=name&$filter=startswith(name,'Expand%20P')&$orderby=name"
                + "&$expand=contact_customer_accounts($select=lastname;$top=2;$orderby=lastname)", "Prefer", "odata.maxpagesize=4");
        JsonNode second = api.get(page.json().path("@odata.nextLink").asText()).json().path("value");
        assertEquals(2, second.size());
        assertEquals("P5 c1", second.get(0).path("contact_customer_accounts").get(0).path("lastname").asText());
        assertEquals("P5 c2", second.get(0).path("contact_customer_accounts").get(1).path("lastname").asText());
        assertEquals("P6 c1", second.get(1).path("contact_customer_accounts").get(0).path("lastname").asText());
    }

    @Test
    void nestedFilterAppliesPerParent() {
        accountsWithContacts();
        Response r = api.get("accounts?$select=name&$filter=startswith(name,'Expand%20P')&$orderby=name"
                + "&$expand=contact_customer_accounts($select=lastname;$filter=endswith(lastname,'c3')%20or%20endswith(lastname,'c1');$orderby=lastname)");
        assertEquals(200, r.status(), r.body());
        JsonNode rows = r.json().path("value");
        for (int p = 1; p <= 6; p++) {
            JsonNode contacts = rows.get(p - 1).path("contact_customer_accounts");
            assertEquals(2, contacts.size(), rows.get(p - 1).toString());
            assertEquals("P" + p + " c1", contacts.get(0).path("lastname").asText());
            assertEquals("P" + p + " c3", contacts.get(1).path("lastname").asText());
        }
    }

    @Test
    void nestedTopCountsOnlyRowsTheCallerMayRead() {
        String second = "00000000-0000-0000-0000-00000000ac02";
        for (String account : new String[]{"00000000-0000-0000-0000-00000000ac03", second}) {
            api.post("tasks", "{\"subject\":\"A admin\",\"regardingobjectid_account@odata.bind\":\"/accounts(" + account + ")\"}").expect(204);
        }
        WebApi basic = as("basic@emulator.local");
        basic.post("tasks", "{\"subject\":\"B basic\",\"regardingobjectid_account@odata.bind\":\"/accounts(00000000-0000-0000-0000-00000000ac03)\"}")
                .expect(204);
        Response r = basic.get("accounts?$select=name&$filter=accountid%20eq%2000000000-0000-0000-0000-00000000ac03%20or%20accountid%20eq%20" + second
                + "&$orderby=name&$expand=Account_Tasks($select=subject;$orderby=subject;$top=1)");
        assertEquals(200, r.status(), r.body());
        for (JsonNode row : r.json().path("value")) {
            JsonNode tasks = row.path("Account_Tasks");
            if (row.path("accountid").asText().equals(second)) {
                assertEquals(0, tasks.size(), "basic may not read the admin's task");
            } else {
                assertEquals(1, tasks.size());
                assertEquals("B basic", tasks.get(0).path("subject").asText(), "the admin's earlier-sorting task is not counted");
            }
        }
    }

    @Test
    void aLargeExpandedCollectionIsPagedWithANextLink() {
        String big = api.createAccount("Expand big");
        String small = api.createAccount("Expand small");
        var service = server.runtime().service();
        for (int i = 0; i < 5001; i++) {
            service.createTrusted(dev.dve.auth.WellKnownPrincipals.SYSTEM, new dev.dve.record.Entity("contact")
                    .set("lastname", String.format("Bulk %05d", i))
                    .set("parentcustomerid", new dev.dve.record.EntityReference("account", java.util.UUID.fromString(big))));
        }
        for (String name : new String[]{"Small b", "Small a"}) {
            api.post("contacts", "{\"lastname\":\"" + name + "\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + small + ")\"}").expect(204);
        }
        Response r = api.get("accounts?$select=name&$filter=startswith(name,'Expand')&$orderby=name"
                + "&$expand=contact_customer_accounts($select=lastname;$filter=lastname%20ne%20@nobody;$orderby=lastname)&@nobody='Nobody'");
        assertEquals(200, r.status(), r.body());
        JsonNode bigRow = r.json().path("value").get(0);
        JsonNode smallRow = r.json().path("value").get(1);
        assertEquals("Expand big", bigRow.path("name").asText());
        JsonNode contacts = bigRow.path("contact_customer_accounts");
        assertEquals(5000, contacts.size(), "one page of related rows per parent");
        assertEquals("Bulk 00000", contacts.get(0).path("lastname").asText());
        assertEquals("Bulk 04999", contacts.get(4999).path("lastname").asText());
        String next = bigRow.path("contact_customer_accounts@odata.nextLink").asText();
        assertTrue(next.startsWith(api.api() + "accounts(" + big + ")/contact_customer_accounts?"), next);
        assertEquals(2, smallRow.path("contact_customer_accounts").size());
        assertEquals("Small a", smallRow.path("contact_customer_accounts").get(0).path("lastname").asText());
        assertTrue(!smallRow.has("contact_customer_accounts@odata.nextLink"));

        Response rest = api.get(next);
        assertEquals(200, rest.status(), next + " -> " + rest.body());
        JsonNode restRows = rest.json().path("value");
        assertEquals(1, restRows.size(), rest.body());
        assertEquals("Bulk 05000", restRows.get(0).path("lastname").asText());
        assertTrue(!rest.json().has("@odata.nextLink"));
    }

    @Test
    void nestedCollectionLevelsApplyTheirOptionsPerParent() {
        String[] accounts = {api.createAccount("Expand N1"), api.createAccount("Expand N2")};
        for (int a = 0; a < 2; a++) {
            for (int c = 1; c <= 2; c++) {
                Response contact = api.post("contacts", "{\"lastname\":\"N" + (a + 1) + " c" + c + "\",\"parentcustomerid_account@odata.bind\":\"/accounts("
                        + accounts[a] + ")\"}", "Prefer", "return=representation");
                String id = contact.json().path("contactid").asText();
                for (String t : new String[]{"z", "b", "a"}) {
                    api.post("tasks", "{\"subject\":\"" + (a + 1) + c + t + "\",\"regardingobjectid_contact@odata.bind\":\"/contacts(" + id + ")\"}").expect(204);
                }
            }
        }
        Response r = api.get("accounts?$select=name&$filter=startswith(name,'Expand%20N')&$orderby=name"
                + "&$expand=contact_customer_accounts($select=lastname;$orderby=lastname;$expand=Contact_Tasks($select=subject;$filter=subject%20ne%20'x';$orderby=subject;$top=2))");
        assertEquals(200, r.status(), r.body());
        JsonNode rows = r.json().path("value");
        for (int a = 0; a < 2; a++) {
            JsonNode contacts = rows.get(a).path("contact_customer_accounts");
            assertEquals(2, contacts.size(), rows.get(a).toString());
            for (int c = 1; c <= 2; c++) {
                JsonNode tasks = contacts.get(c - 1).path("Contact_Tasks");
                assertEquals("N" + (a + 1) + " c" + c, contacts.get(c - 1).path("lastname").asText());
                assertEquals(2, tasks.size(), contacts.get(c - 1).toString());
                assertEquals("" + (a + 1) + c + "a", tasks.get(0).path("subject").asText());
                assertEquals("" + (a + 1) + c + "b", tasks.get(1).path("subject").asText());
            }
        }
    }
}
