package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** odata.metadata=full|minimal|none, odata.streaming and IEEE754Compatible, as OData JSON 4.0 defines them. */
class MetadataLevelsTest extends EmulatorTest {
    private static final String FULL = "application/json;odata.metadata=full";

    private String account() {
        Response r = api.post("accounts", "{\"name\":\"Levels\",\"creditlimit\":1234.5,\"numberofemployees\":12,"
                + "\"primarycontactid@odata.bind\":\"/contacts(00000000-0000-0000-0000-00000000c001)\"}", "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("accountid").asText();
    }

    @Test
    void fullMetadataTypesEveryRecordAndEveryValueJsonCannotTellApart() {
        String id = account();
        Response r = api.get("accounts(" + id + ")", "Accept", FULL);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").contains("odata.metadata=full"), r.header("Content-Type"));
        JsonNode a = r.json();
        assertEquals(api.api() + "$metadata#accounts/$entity", a.path("@odata.context").asText());
        assertEquals("#Microsoft.Dynamics.CRM.account", a.path("@odata.type").asText());
        assertEquals(api.api() + "accounts(" + id + ")", a.path("@odata.id").asText());
        assertEquals("accounts(" + id + ")", a.path("@odata.editLink").asText());
        assertTrue(a.path("@odata.etag").asText().startsWith("W/\""), a.toString());
        assertEquals("#Guid", a.path("accountid@odata.type").asText());
        assertEquals("#DateTimeOffset", a.path("createdon@odata.type").asText());
        assertEquals("#Int64", a.path("versionnumber@odata.type").asText());
        assertEquals("#Decimal", a.path("creditlimit@odata.type").asText());
        assertEquals("#Int32", a.path("numberofemployees@odata.type").asText());
        assertEquals("#Guid", a.path("_primarycontactid_value@odata.type").asText());
        assertFalse(a.has("name@odata.type"), "strings are told apart by JSON");
        assertFalse(a.has("creditonhold@odata.type"), "booleans are told apart by JSON");
        assertEquals("accounts(" + id + ")/primarycontactid", a.path("primarycontactid@odata.navigationLink").asText());
        assertEquals("accounts(" + id + ")/primarycontactid/$ref", a.path("primarycontactid@odata.associationLink").asText());
        assertEquals("accounts(" + id + ")/contact_customer_accounts", a.path("contact_customer_accounts@odata.navigationLink").asText(), a.toString());
        assertEquals(1234.5, a.path("creditlimit").asDouble());

        JsonNode list = api.get("accounts?$select=name,createdon&$filter=accountid%20eq%20" + id + "&$expand=primarycontactid($select=fullname)",
                "Accept", FULL).json();
        JsonNode row = list.path("value").get(0);
        assertEquals("#Microsoft.Dynamics.CRM.account", row.path("@odata.type").asText(), list.toString());
        assertEquals("#DateTimeOffset", row.path("createdon@odata.type").asText());
        assertFalse(row.has("primarycontactid@odata.navigationLink"), "an expanded navigation property carries its content");
        assertEquals("#Microsoft.Dynamics.CRM.contact", row.path("primarycontactid").path("@odata.type").asText(), row.toString());
        assertTrue(row.has("parentaccountid@odata.navigationLink"), row.toString());

        Response created = api.post("accounts", "{\"name\":\"Full on create\"}", "Prefer", "return=representation", "Accept", FULL);
        assertEquals(201, created.status(), created.body());
        assertEquals("#Microsoft.Dynamics.CRM.account", created.json().path("@odata.type").asText());
        assertEquals("#Guid", created.json().path("accountid@odata.type").asText());
    }

    @Test
    void minimalMetadataIsTheDefaultAndNoneOmitsControlInformation() {
        String id = account();
        for (String accept : new String[] {"application/json", "application/json;odata.metadata=minimal", "*/*"}) {
            Response r = api.get("accounts(" + id + ")", "Accept", accept);
            assertEquals(200, r.status(), accept + ": " + r.body());
            assertTrue(r.header("Content-Type").contains("odata.metadata=minimal"), r.header("Content-Type"));
            assertTrue(r.json().has("@odata.context") && r.json().has("@odata.etag"), r.body());
            assertFalse(r.json().has("@odata.type") || r.json().has("accountid@odata.type") || r.json().has("@odata.id"), r.body());
        }

        Response none = api.get("accounts(" + id + ")", "Accept", "application/json;odata.metadata=none");
        assertEquals(200, none.status(), none.body());
        assertTrue(none.header("Content-Type").contains("odata.metadata=none"), none.header("Content-Type"));
        assertFalse(none.body().contains("@odata."), none.body());
        assertEquals("Levels", none.json().path("name").asText());

        Response page = api.get("accounts?$select=name&$count=true", "Accept", "application/json;odata.metadata=none", "Prefer", "odata.maxpagesize=1");
        assertEquals(200, page.status(), page.body());
        assertFalse(page.json().has("@odata.context"), page.body());
        assertTrue(page.json().path("@odata.count").asInt() > 1, "count stays");
        assertTrue(page.json().path("@odata.nextLink").asText().contains("$skiptoken="), "the next link stays");
        assertFalse(page.json().path("value").get(0).has("@odata.etag"), page.body());
    }

    @Test
    void streamingAndIeee754CompatibleAreNegotiated() {
        String id = account();
        Response streaming = api.get("accounts(" + id + ")", "Accept", "application/json;odata.metadata=minimal;odata.streaming=true");
        assertEquals(200, streaming.status(), streaming.body());
        assertEquals("Levels", streaming.json().path("name").asText());
        assertEquals(200, api.get("accounts?$top=1", "Accept", "application/json;odata.streaming=false").status());
        Response fullStreaming = api.get("accounts(" + id + ")", "Accept", "application/json;odata.metadata=full;odata.streaming=true");
        assertEquals("#Guid", fullStreaming.json().path("accountid@odata.type").asText(), fullStreaming.body());

        Response ieee = api.get("accounts(" + id + ")?$select=creditlimit,versionnumber,numberofemployees",
                "Accept", "application/json;odata.streaming=true;IEEE754Compatible=true");
        assertEquals(200, ieee.status(), ieee.body());
        assertTrue(ieee.header("Content-Type").contains("IEEE754Compatible=true"), ieee.header("Content-Type"));
        assertTrue(ieee.json().path("versionnumber").isTextual(), "Int64 as a string: " + ieee.body());
        assertTrue(ieee.json().path("creditlimit").isTextual(), "Decimal as a string: " + ieee.body());
        assertTrue(ieee.json().path("numberofemployees").isInt(), "Int32 stays a number: " + ieee.body());
        assertTrue(api.get("accounts(" + id + ")?$select=versionnumber").json().path("versionnumber").isNumber());

        Response unknown = api.get("accounts(" + id + ")", "Accept", "application/json;odata.metadata=verbose");
        assertEquals(406, unknown.status(), unknown.body());
    }
}
