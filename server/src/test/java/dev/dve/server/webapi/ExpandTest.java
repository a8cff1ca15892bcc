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
}
