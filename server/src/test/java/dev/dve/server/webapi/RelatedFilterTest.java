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
}
