package dev.dve.server.webapi;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad request gets a Dataverse error body with the right status, and changes nothing. */
class BadInputTest extends EmulatorTest {
    private static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";

    private int accountCount() {
        return Integer.parseInt(api.get("accounts/$count").body().trim());
    }

    private void assertRefused(Response r, int status, String code, String messagePart) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.errorCode(), r.body());
        assertTrue(r.errorMessage().contains(messagePart), r.errorMessage());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
    }

    @Test
    void malformedJson() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\": \"x\""), 400, "0x80048d19", "Error identified in Payload");
        assertRefused(api.post("accounts", "[1,2]"), 400, "0x80048d19", "JSON object");
        assertEquals(before, accountCount());
    }

    @Test
    void unknownAttribute() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"nosuchfield\":1}"), 400, "0x80048d19",
                "The property 'nosuchfield' does not exist on type 'Microsoft.Dynamics.CRM.account'");
        assertEquals(before, accountCount());
    }

    @Test
    void wrongType() {
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"numberofemployees\":\"many\"}"), 400, "0x80048d19",
                "Cannot convert the literal 'many' to the expected type 'Edm.Int32'");
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"creditonhold\":1}"), 400, "0x80048d19", "Edm.Boolean");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"name\":42}"), 400, "0x80048d19", "Edm.String");
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void invalidOptionSetValue() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"customertypecode\":99}"), 400, "0x80044331",
                "The value 99 of 'customertypecode' on record of type 'account' is outside the valid range");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"statecode\":0,\"statuscode\":2}"), 400, "0x80048408", "not a valid status code");
        assertEquals(before, accountCount());
        assertEquals(1, api.get("accounts(" + CONTOSO + ")?$select=statuscode").json().path("statuscode").asInt());
    }

    @Test
    void textTooLongAndNumberOutOfRange() {
        assertRefused(api.post("accounts", "{\"name\":\"" + "n".repeat(161) + "\"}"), 400, "0x80044331",
                "The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'");
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"numberofemployees\":-1}"), 400, "0x80044331", "outside the valid range");
    }

    @Test
    void invalidGuid() {
        assertRefused(api.get("accounts(not-a-guid)"), 400, "0x80060888", "");
        assertRefused(api.post("contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/accounts(123)\"}"), 400,
                "0x80048d19", "not a valid entity id");
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"accountid\":\"12345\"}"), 400, "0x80048d19", "Edm.Guid");
    }

    @Test
    void bindingToAMissingRecord() {
        int before = Integer.parseInt(api.get("contacts/$count").body().trim());
        assertRefused(api.post("contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/accounts(00000000-0000-0000-0000-0000000fffff)\"}"),
                404, "0x80040217", "account With Id = 00000000-0000-0000-0000-0000000fffff Does Not Exist");
        assertEquals(before, Integer.parseInt(api.get("contacts/$count").body().trim()));
    }

    @Test
    void missingRequiredAttribute() {
        int before = Integer.parseInt(api.get("workflows/$count").body().trim());
        assertRefused(api.post("workflows", "{\"category\":0,\"primaryentity\":\"account\",\"xaml\":\"<Activity/>\"}"), 400,
                "0x80040200", "Attribute 'name' of entity 'workflow' cannot be NULL");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"ownerid@odata.bind\":null}"), 400, "0x80040200", "ownerid");
        assertEquals(before, Integer.parseInt(api.get("workflows/$count").body().trim()));
    }

    @Test
    void readOnlyAttributesAreRefused() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"createdon\":\"2020-01-01T00:00:00Z\"}"), 400, "0x80040203", "createdon");
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"_ownerid_value\":\"" + CONTOSO + "\"}"), 400, "0x80048d19", "Navigation properties");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"versionnumber\":5}"), 400, "0x80040203", "versionnumber");
        assertEquals(before, accountCount());
    }

    @Test
    void unknownEntitySetAndMissingRow() {
        assertRefused(api.get("nosuchthings"), 404, "0x8006088a", "Resource not found for the segment 'nosuchthings'.");
        assertRefused(api.get("accounts(00000000-0000-0000-0000-0000000fffff)"), 404, "0x80040217",
                "account With Id = 00000000-0000-0000-0000-0000000fffff Does Not Exist");
        assertRefused(api.patch("accounts(00000000-0000-0000-0000-0000000fffff)", "{\"name\":\"x\"}", "If-Match", "*"), 404, "0x80040217", "Does Not Exist");
        assertRefused(api.get("/api/data/vX/accounts"), 404, "0x8006088a", "Resource not found");
    }

    @Test
    void badQueryOptions() {
        assertRefused(api.get("accounts?$filter=nosuch%20eq%201"), 400, "0x80060888", "Could not find a property named 'nosuch'");
        assertRefused(api.get("accounts?$select=nosuch"), 400, "0x80060888", "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.account'");
        assertRefused(api.get("accounts?$filter=name%20eq"), 400, "0x80060888", "");
        assertRefused(api.get("accounts?$skip=1"), 400, "0x80060888", "$skip is not supported");
        assertRefused(api.get("accounts?$orderby=nosuch"), 400, "0x80060888", "nosuch");
    }

    @Test
    void putOnARecordIsNotAllowed() {
        assertRefused(api.put("accounts(" + CONTOSO + ")", "{\"name\":\"x\"}"), 405, "0x80060888", "PUT");
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void duplicateIdOnCreate() {
        assertRefused(api.post("accounts", "{\"name\":\"dup\",\"accountid\":\"" + CONTOSO + "\"}"), 412, "0x80040237",
                "A record with matching key values already exists.");
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void queriesThatCannotRunAreQueryErrorsNotServerErrors() {
        assertRefused(api.get("accounts?$apply=groupby((name),aggregate(name%20with%20sum%20as%20s))"), 400, "0x80060888", "cannot be applied");
        assertRefused(api.get("accounts?fetchXml=" + java.net.URLEncoder.encode("<fetch aggregate='true'><entity name='account'>"
                + "<attribute name='creditlimit' alias='x' aggregate='sum'/><attribute name='revenue' alias='x' aggregate='max'/></entity></fetch>",
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")), 400, "0x80060888", "used more than once");
        assertRefused(api.get("accounts?fetchXml=" + java.net.URLEncoder.encode("<fetch><entity name='account'>"
                + "<link-entity name='contact' from='fullname' to='creditlimit'/></entity></fetch>",
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")), 400, "0x80060888", "their types differ");
        assertRefused(api.get("accounts(" + CONTOSO + ")/nosuch"), 400, "0x80060888", "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.account'");
        assertRefused(api.get("accounts?$filter=Microsoft.Dynamics.CRM.Nope(PropertyName='name')"), 404, "0x8006088a",
                "Resource not found for the segment 'Microsoft.Dynamics.CRM.Nope'");
    }

    @Test
    void entityNameAttributesNameRealTables() {
        int before = Integer.parseInt(api.get("workflows/$count").body().trim());
        assertRefused(api.post("workflows", "{\"name\":\"bad\",\"category\":0,\"type\":1,\"primaryentity\":\"nosuch\"}"), 400, "0x80040203",
                "The entity with a name = 'nosuch'");
        assertEquals(before, Integer.parseInt(api.get("workflows/$count").body().trim()));
    }
}
