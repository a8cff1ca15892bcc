package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordCrudTest extends EmulatorTest {
    private static final String ADMIN = "00000000-0000-0000-0000-000000000101"; // the application user the suite signs in as
    private static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";

    private String idFrom(Response r) {
        String entityId = r.header("OData-EntityId");
        assertNotNull(entityId, "OData-EntityId header");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    @Test
    void createAnswers204WithEntityIdAndTheRowCanBeRead() {
        Response r = api.post("accounts", "{\"name\":\"Northwind\",\"creditlimit\":1500.5,\"numberofemployees\":12}");
        assertEquals(204, r.status(), r.body());
        assertTrue(r.header("OData-EntityId").startsWith(api.api() + "accounts("), r.header("OData-EntityId"));
        String id = idFrom(r);
        Response read = api.get("accounts(" + id + ")?$select=name,creditlimit,numberofemployees");
        JsonNode row = read.json();
        assertEquals("Northwind", row.path("name").asText());
        assertTrue(read.body().contains("\"creditlimit\":1500.5000"), "money has four decimals: " + read.body());
        assertEquals(12, row.path("numberofemployees").asInt());
        assertEquals(id, row.path("accountid").asText());
        assertTrue(row.path("@odata.etag").asText().startsWith("W/\""));
        assertEquals(api.api() + "$metadata#accounts(name,creditlimit,numberofemployees)/$entity", row.path("@odata.context").asText());
    }

    @Test
    void returnRepresentationAnswers201WithTheBodyAndNoEntityIdHeader() {
        Response r = api.post("accounts?$select=name,statecode", "{\"name\":\"Rep\"}", "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        assertNull(r.header("OData-EntityId"));
        assertEquals("return=representation", r.header("Preference-Applied"));
        JsonNode body = r.json();
        assertEquals("Rep", body.path("name").asText());
        assertEquals(0, body.path("statecode").asInt());
        assertEquals(api.api() + "$metadata#accounts(name,statecode)/$entity", body.path("@odata.context").asText());
    }

    @Test
    void platformMaintainsAuditOwnerStateAndVersion() {
        api.post("/admin/clock", "{\"set\":\"2025-06-01T10:00:00Z\",\"freeze\":true}");
        String id = idFrom(api.post("accounts", "{\"name\":\"Audited\"}"));
        JsonNode row = api.get("accounts(" + id + ")").json();
        assertEquals("2025-06-01T10:00:00Z", row.path("createdon").asText());
        assertEquals("2025-06-01T10:00:00Z", row.path("modifiedon").asText());
        assertEquals(ADMIN, row.path("_createdby_value").asText());
        assertEquals(ADMIN, row.path("_modifiedby_value").asText());
        assertEquals(ADMIN, row.path("_ownerid_value").asText());
        assertEquals(ADMIN, row.path("_owninguser_value").asText());
        assertEquals("00000000-0000-0000-0000-0000000000b0", row.path("_owningbusinessunit_value").asText());
        assertEquals(0, row.path("statecode").asInt());
        assertEquals(1, row.path("statuscode").asInt());
        assertFalse(row.path("creditonhold").asBoolean(), "default value");
        long v1 = row.path("versionnumber").asLong();

        api.post("/admin/clock", "{\"advance\":\"PT1H\"}");
        assertEquals(204, api.patch("accounts(" + id + ")", "{\"name\":\"Audited 2\",\"statecode\":1}").status());
        JsonNode after = api.get("accounts(" + id + ")").json();
        assertEquals("Audited 2", after.path("name").asText());
        assertEquals("2025-06-01T10:00:00Z", after.path("createdon").asText());
        assertEquals("2025-06-01T11:00:00Z", after.path("modifiedon").asText());
        assertEquals(2, after.path("statuscode").asInt(), "state alone gets its default status");
        assertTrue(after.path("versionnumber").asLong() > v1);
        assertNotEquals(row.path("@odata.etag").asText(), after.path("@odata.etag").asText());
    }

    @Test
    void lookupsAreBoundAndReadBackWithAnnotations() {
        String id = idFrom(api.post("contacts", "{\"firstname\":\"Ada\",\"lastname\":\"Lovelace\","
                + "\"parentcustomerid_account@odata.bind\":\"/accounts(" + CONTOSO + ")\"}"));
        Response r = api.get("contacts(" + id + ")?$select=fullname,_parentcustomerid_value",
                "Prefer", "odata.include-annotations=\"*\"");
        JsonNode c = r.json();
        assertEquals("Ada Lovelace", c.path("fullname").asText(), "fullname is computed by the platform");
        assertEquals(CONTOSO, c.path("_parentcustomerid_value").asText());
        assertEquals("account", c.path("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText());
        assertEquals("parentcustomerid_account", c.path("_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").asText());
        assertEquals("Contoso Ltd", c.path("_parentcustomerid_value@OData.Community.Display.V1.FormattedValue").asText());
        assertTrue(r.header("Preference-Applied").contains("odata.include-annotations"));

        // the annotations come before the value, as Dataverse writes them
        String body = r.body();
        assertTrue(body.indexOf("_parentcustomerid_value@") < body.indexOf("\"_parentcustomerid_value\":"));

        assertEquals(204, api.patch("contacts(" + id + ")", "{\"lastname\":\"King\"}").status());
        assertEquals("Ada King", api.get("contacts(" + id + ")?$select=fullname").json().path("fullname").asText());

        // clearing a lookup with a null bind
        assertEquals(204, api.patch("contacts(" + id + ")", "{\"parentcustomerid_account@odata.bind\":null}").status());
        assertTrue(api.get("contacts(" + id + ")?$select=_parentcustomerid_value").json().path("_parentcustomerid_value").isNull());
    }

    @Test
    void formattedValuesForChoicesMoneyBooleansAndDates() {
        api.post("/admin/clock", "{\"set\":\"2023-04-07T21:59:01Z\",\"freeze\":true}");
        String id = idFrom(api.post("accounts", "{\"name\":\"F\",\"customertypecode\":1,\"revenue\":20000,\"creditonhold\":true,\"numberofemployees\":1200}"));
        Response read = api.get("accounts(" + id + ")?$select=customertypecode,revenue,creditonhold,numberofemployees,createdon",
                "Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"");
        JsonNode a = read.json();
        String fv = "@OData.Community.Display.V1.FormattedValue";
        assertEquals("Competitor", a.path("customertypecode" + fv).asText());
        assertEquals("$20,000.00", a.path("revenue" + fv).asText());
        assertTrue(read.body().contains("\"revenue\":20000.0000"), read.body());
        assertEquals("Yes", a.path("creditonhold" + fv).asText());
        assertEquals("1,200", a.path("numberofemployees" + fv).asText());
        assertEquals("4/7/2023 9:59 PM", a.path("createdon" + fv).asText());
        assertTrue(a.path("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").isMissingNode(), "only the requested annotations");
    }

    @Test
    void withoutThePreferenceNoAnnotationsAreWritten() {
        JsonNode a = api.get("accounts(" + CONTOSO + ")?$select=customertypecode,_ownerid_value").json();
        assertTrue(a.path("customertypecode@OData.Community.Display.V1.FormattedValue").isMissingNode());
        assertTrue(a.path("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").isMissingNode());
        assertEquals(3, a.path("customertypecode").asInt());
    }

    @Test
    void deleteRemovesTheRowAndASecondDeleteIs404() {
        String id = idFrom(api.post("accounts", "{\"name\":\"Doomed\"}"));
        assertEquals(204, api.delete("accounts(" + id + ")").status());
        Response again = api.delete("accounts(" + id + ")");
        assertEquals(404, again.status());
        assertEquals("0x80040217", again.errorCode());
        assertEquals(404, api.get("accounts(" + id + ")").status());
    }

    @Test
    void upsertCreatesWithTheGivenIdThenUpdates() {
        String id = UUID.randomUUID().toString();
        Response created = api.patch("accounts(" + id + ")", "{\"name\":\"Upserted\"}", "Prefer", "return=representation");
        assertEquals(201, created.status(), created.body());
        assertEquals(id, created.json().path("accountid").asText());
        Response updated = api.patch("accounts(" + id + ")", "{\"name\":\"Upserted again\"}", "Prefer", "return=representation");
        assertEquals(200, updated.status());
        assertEquals("Upserted again", updated.json().path("name").asText());
    }

    @Test
    void upsertGuardsAndETagsAnswer404And412AndChangeNothing() {
        String missing = UUID.randomUUID().toString();
        Response noCreate = api.patch("accounts(" + missing + ")", "{\"name\":\"x\"}", "If-Match", "*");
        assertEquals(404, noCreate.status());
        assertEquals("0x80040217", noCreate.errorCode());
        assertEquals(404, api.get("accounts(" + missing + ")").status());

        Response noUpdate = api.patch("accounts(" + CONTOSO + ")", "{\"name\":\"x\"}", "If-None-Match", "*");
        assertEquals(412, noUpdate.status());
        assertEquals("A record with matching key values already exists.", noUpdate.errorMessage());

        JsonNode before = api.get("accounts(" + CONTOSO + ")?$select=name").json();
        String etag = before.path("@odata.etag").asText();
        assertEquals(204, api.patch("accounts(" + CONTOSO + ")", "{\"telephone1\":\"1\"}", "If-Match", etag).status());
        Response stale = api.patch("accounts(" + CONTOSO + ")", "{\"name\":\"Lost update\"}", "If-Match", etag);
        assertEquals(412, stale.status());
        assertEquals("The version of the existing record doesn't match the RowVersion property provided.", stale.errorMessage());
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
        assertEquals(412, api.delete("accounts(" + CONTOSO + ")", "If-Match", etag).status());
        assertEquals(200, api.get("accounts(" + CONTOSO + ")").status());
    }

    @Test
    void unchangedRecordAnswers304ToIfNoneMatch() {
        Response first = api.get("accounts(" + CONTOSO + ")?$select=name");
        String etag = first.header("ETag");
        assertEquals(first.json().path("@odata.etag").asText(), etag);
        assertEquals(304, api.get("accounts(" + CONTOSO + ")?$select=name", "If-None-Match", etag).status());
        api.patch("accounts(" + CONTOSO + ")", "{\"name\":\"Changed\"}");
        assertEquals(200, api.get("accounts(" + CONTOSO + ")?$select=name", "If-None-Match", etag).status());
    }

    @Test
    void deepInsertCreatesRelatedRecords() {
        Response r = api.post("accounts", "{\"name\":\"Parent\",\"primarycontactid\":{\"firstname\":\"Pat\",\"lastname\":\"Primary\"},"
                + "\"contact_customer_accounts\":[{\"lastname\":\"One\"},{\"lastname\":\"Two\"}]}");
        assertEquals(204, r.status(), r.body());
        String id = idFrom(r);
        JsonNode account = api.get("accounts(" + id + ")?$select=_primarycontactid_value").json();
        JsonNode primary = api.get("contacts(" + account.path("_primarycontactid_value").asText() + ")?$select=fullname").json();
        assertEquals("Pat Primary", primary.path("fullname").asText());
        JsonNode children = api.get("accounts(" + id + ")/contact_customer_accounts?$select=lastname&$orderby=lastname").json().path("value");
        assertEquals(2, children.size());
        assertEquals("One", children.get(0).path("lastname").asText());
        assertEquals("Two", children.get(1).path("lastname").asText());
    }

    @Test
    void singleValuedNavigationReturnsTheRelatedRecord() {
        JsonNode parent = api.get("accounts(00000000-0000-0000-0000-00000000ac03)/parentaccountid?$select=name").json();
        assertEquals("Contoso Ltd", parent.path("name").asText());
    }

    @Test
    void everyEntitySetAcceptsCreateAndRetrieve() {
        String[][] samples = {
                {"workflows", "{\"name\":\"W\",\"category\":0,\"primaryentity\":\"account\",\"type\":1,\"scope\":4,\"xaml\":\"<Activity/>\"}", "workflowid"},
                {"processsessions", "{\"name\":\"S\",\"processid@odata.bind\":\"/workflows(%s)\"}", "processsessionid"},
                {"tasks", "{\"subject\":\"Call\",\"regardingobjectid_account@odata.bind\":\"/accounts(" + CONTOSO + ")\"}", "activityid"},
                {"emails", "{\"subject\":\"Hi\",\"email_activity_parties\":[{\"participationtypemask\":2,\"partyid_contact@odata.bind\":\"/contacts(00000000-0000-0000-0000-00000000c001)\"}]}", "activityid"},
                {"teams", "{\"name\":\"T\",\"businessunitid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-0000000000b0)\"}", "teamid"},
                {"savedqueries", "{\"name\":\"V\",\"returnedtypecode\":\"account\",\"fetchxml\":\"<fetch/>\"}", "savedqueryid"},
                {"userqueries", "{\"name\":\"U\",\"returnedtypecode\":\"account\",\"fetchxml\":\"<fetch/>\"}", "userqueryid"},
                {"serviceendpoints", "{\"name\":\"Hook\",\"contract\":8,\"url\":\"http://localhost:1/hook\"}", "serviceendpointid"},
        };
        String workflowId = null;
        for (String[] s : samples) {
            String body = s[1].contains("%s") ? String.format(s[1], workflowId) : s[1];
            Response r = api.post(s[0], body, "Prefer", "return=representation");
            assertEquals(201, r.status(), s[0] + ": " + r.body());
            String id = r.json().path(s[2]).asText();
            assertEquals(200, api.get(s[0] + "(" + id + ")").status(), s[0]);
            if (s[0].equals("workflows")) {
                workflowId = id;
                assertEquals(1, r.json().path("statuscode").asInt());
                assertEquals(0, r.json().path("mode").asInt(), "default mode is Background");
            }
        }
        JsonNode parties = api.get("activityparties?$select=participationtypemask,_partyid_value").json().path("value");
        assertEquals(1, parties.size());
        assertEquals("00000000-0000-0000-0000-00000000c001", parties.get(0).path("_partyid_value").asText());
    }

    @Test
    void singlePropertiesAreReadUpdatedAndCleared() {
        String contoso = "accounts(00000000-0000-0000-0000-00000000ac01)";
        Response name = api.get(contoso + "/name");
        assertEquals(200, name.status(), name.body());
        assertEquals("Contoso Ltd", name.json().path("value").asText());
        assertTrue(name.json().path("@odata.context").asText().endsWith("$metadata#accounts(00000000-0000-0000-0000-00000000ac01)/name"));
        Response raw = api.get(contoso + "/name/$value", "Accept", "text/plain");
        assertEquals("Contoso Ltd", raw.body());

        assertEquals(204, api.put(contoso + "/creditlimit", "{\"value\":1234.5}").status());
        assertEquals(0, new java.math.BigDecimal("1234.5").compareTo(api.get(contoso + "?$select=creditlimit").json().path("creditlimit").decimalValue()));
        assertEquals(204, api.delete(contoso + "/creditlimit").status());
        assertTrue(api.get(contoso + "?$select=creditlimit").json().path("creditlimit").isNull(), "DELETE on a property clears it");
        assertEquals(204, api.get(contoso + "/creditlimit").status(), "a null property answers 204");

        Response wrongType = api.put(contoso + "/name", "{\"value\":5}");
        assertEquals(400, wrongType.status(), wrongType.body());
        assertEquals(400, api.put(contoso + "/name", "{\"name\":\"x\"}").status(), "the body is {\"value\": …}");
        assertEquals(400, api.put(contoso + "/createdon", "{\"value\":\"2020-01-01T00:00:00Z\"}").status(), "read-only");
        assertEquals(400, api.put(contoso + "/_primarycontactid_value", "{\"value\":null}").status(), "lookups go through $ref");
        assertEquals(412, api.put(contoso + "/name", "{\"value\":\"stale\"}", "If-Match", "W/\"1\"").status());
        assertEquals(404, api.put("accounts(00000000-0000-0000-0000-000000000999)/name", "{\"value\":\"x\"}").status(), "no upsert through a property");
        assertEquals("Contoso Ltd", api.get(contoso + "/name").json().path("value").asText(), "refused writes change nothing");
        assertEquals(0, api.get("accounts?$filter=accountid%20eq%2000000000-0000-0000-0000-000000000999").json().path("value").size());
    }
}
