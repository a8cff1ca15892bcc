package dev.dve.server.webapi;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Filters over related rows: lookup paths and the lambda operators any / all, as subqueries. */
class RelatedFilterTest extends EmulatorTest {

    private List<String> names(String set, String field, String query) {
        Response r = api.get(set + "?$select=" + field + "&$orderby=" + field + "&" + query);
        assertEquals(200, r.status(), query + ": " + r.body());
        List<String> out = new ArrayList<>();
        r.json().path("value").forEach(v -> out.add(v.path(field).asText()));
        return out;
    }

    @Test
    void lookupPaths() {
        assertEquals(List.of("Yvonne McKay"), names("contacts", "fullname", "$filter=parentcustomerid_account/name%20eq%20'Contoso%20Ltd'"));
        assertEquals(List.of("Nancy Anderson"), names("contacts", "fullname", "$filter=parentcustomerid_account/parentaccountid/name%20eq%20'Contoso%20Ltd'"),
                "two hops");
        assertEquals(List.of("Nancy Anderson", "Yvonne McKay"), names("contacts", "fullname", "$filter=contains(parentcustomerid_account/name,'o')%20and%20parentcustomerid_account/creditonhold%20eq%20false"));
        assertEquals(List.of("Adventure Works"), names("accounts", "name", "$filter=ownerid/fullname%20eq%20'Bailey%20Basic'"));
    }

    @Test
    void anyAndAll() {
        String contoso = "00000000-0000-0000-0000-00000000ac01";
        api.post("tasks", "{\"subject\":\"Call back\",\"regardingobjectid_account@odata.bind\":\"/accounts(" + contoso + ")\"}");
        api.post("tasks", "{\"subject\":\"Call again\",\"regardingobjectid_account@odata.bind\":\"/accounts(" + contoso + ")\"}");
        api.post("tasks", "{\"subject\":\"Visit\",\"regardingobjectid_account@odata.bind\":\"/accounts(00000000-0000-0000-0000-00000000ac02)\"}");
        assertEquals(List.of("Contoso Ltd"), names("accounts", "name", "$filter=Account_Tasks/any(t:contains(t/subject,'Call'))"));
        assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), names("accounts", "name", "$filter=Account_Tasks/any()"));
        assertEquals(List.of("Adventure Works", "Contoso Ltd"), names("accounts", "name", "$filter=Account_Tasks/all(t:startswith(t/subject,'Call'))"),
                "all holds for an account without tasks too");
        assertEquals(List.of("Contoso Ltd"), names("accounts", "name", "$filter=Account_Tasks/any(t:t/subject%20eq%20'Call%20back')%20and%20creditlimit%20gt%200"));
    }

    @Test
    void relatedRowsTheCallerCannotReadDoNotMatch() {
        String adventure = "00000000-0000-0000-0000-00000000ac03";
        // a contact owned by the administrator: Bailey Basic (user-level read) cannot read it, though Adventure Works is theirs
        String hidden = api.post("contacts", "{\"lastname\":\"Hidden\",\"jobtitle\":\"Secret\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + adventure + ")\"}",
                "Prefer", "return=representation").json().path("contactid").asText();
        assertEquals(204, api.patch("accounts(" + adventure + ")", "{\"primarycontactid@odata.bind\":\"/contacts(" + hidden + ")\"}").status());
        String any = "$filter=contact_customer_accounts/any(c:c/jobtitle%20eq%20'Secret')";
        String path = "$filter=primarycontactid/jobtitle%20eq%20'Secret'";
        assertEquals(List.of("Adventure Works"), names("accounts", "name", any));
        assertEquals(List.of("Adventure Works"), names("accounts", "name", path));

        assertEquals(List.of(), basicNames(any), "any() over contacts Bailey cannot read");
        assertEquals(List.of(), basicNames(path), "a lookup path to a contact Bailey cannot read");
        assertEquals(List.of("Adventure Works"), basicNames("$filter=contact_customer_accounts/any(c:c/jobtitle%20eq%20'Engineer')"), "their own contact still matches");
        assertEquals(List.of("Adventure Works"), basicNames("$filter=not%20contact_customer_accounts/any(c:c/jobtitle%20eq%20'Secret')"));
        String exists = "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='parentcustomerid' to='accountid' link-type='exists'>"
                + "<filter><condition attribute='jobtitle' operator='eq' value='Secret'/></filter></link-entity></entity></fetch>";
        Response fx = as("basic@emulator.local").get("accounts?fetchXml=" + java.net.URLEncoder.encode(exists, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, fx.status(), fx.body());
        assertEquals(0, fx.json().path("value").size(), "FetchXML exists links are read-filtered too");
    }

    private List<String> basicNames(String query) {
        Response r = as("basic@emulator.local").get("accounts?$select=name&$orderby=name&" + query);
        assertEquals(200, r.status(), query + ": " + r.body());
        List<String> out = new ArrayList<>();
        r.json().path("value").forEach(v -> out.add(v.path("name").asText()));
        return out;
    }
}
