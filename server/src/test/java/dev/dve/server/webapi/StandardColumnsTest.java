package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Columns apps built against a real organization write on account, contact, task and email, as Microsoft's reference lists them. */
class StandardColumnsTest extends EmulatorTest {
    private static final String FV = "@OData.Community.Display.V1.FormattedValue";
    private static final String[] FORMATTED = {"Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""};

    private static String id(Response r) {
        String entityId = r.header("OData-EntityId");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    @Test
    void accountTakesTheDocumentedColumnsAndAnswersFormattedValues() {
        Response created = api.post("accounts", "{\"name\":\"Fabrikam\",\"donotemail\":true,\"donotsendmm\":true,\"donotbulkemail\":true,"
                + "\"donotphone\":false,\"accountcategorycode\":1,\"paymenttermscode\":2,\"preferredcontactmethodcode\":2,"
                + "\"address1_line1\":\"1 Microsoft Way\",\"address1_postalcode\":\"98052\",\"address1_country\":\"USA\","
                + "\"industrycode\":33,\"address1_latitude\":47.64}");
        assertEquals(204, created.status(), created.body());
        JsonNode a = api.get("accounts(" + id(created) + ")?$select=donotemail,donotsendmm,donotbulkemail,donotphone,donotpostalmail,"
                + "followemail,accountcategorycode,paymenttermscode,preferredcontactmethodcode,address1_line1,address1_postalcode,"
                + "address1_country,industrycode,address1_latitude,owneridtype", FORMATTED).json();
        assertTrue(a.path("donotemail").asBoolean());
        assertEquals("Do Not Allow", a.path("donotemail" + FV).asText());
        assertEquals("Do Not Send", a.path("donotsendmm" + FV).asText());
        assertEquals("Do Not Allow", a.path("donotbulkemail" + FV).asText());
        assertEquals("Allow", a.path("donotphone" + FV).asText());
        assertFalse(a.path("donotpostalmail").asBoolean(true), "documented default No");
        assertEquals("Allow", a.path("followemail" + FV).asText(), "documented default Allow");
        assertEquals("Preferred Customer", a.path("accountcategorycode" + FV).asText());
        assertEquals("2% 10, Net 30", a.path("paymenttermscode" + FV).asText());
        assertEquals("Email", a.path("preferredcontactmethodcode" + FV).asText());
        assertEquals("Wholesale", a.path("industrycode" + FV).asText());
        assertEquals("1 Microsoft Way", a.path("address1_line1").asText());
        assertEquals("98052", a.path("address1_postalcode").asText());
        assertEquals("USA", a.path("address1_country").asText());
        assertEquals(47.64, a.path("address1_latitude").asDouble(), 1e-9);
        assertEquals("systemuser", a.path("owneridtype").asText(), "the owner's table name follows the owner");
    }

    @Test
    void documentedLimitsAndChoicesAreEnforced() {
        Response tooLong = api.post("accounts", "{\"name\":\"Long\",\"address1_postalcode\":\"" + "9".repeat(21) + "\"}");
        assertEquals(400, tooLong.status(), tooLong.body());
        Response badChoice = api.post("accounts", "{\"name\":\"Bad\",\"paymenttermscode\":99}");
        assertEquals(400, badChoice.status(), badChoice.body());
        Response unknown = api.post("accounts", "{\"name\":\"Unknown\",\"new_notacolumn\":1}");
        assertEquals(400, unknown.status(), unknown.body());
        Response typeName = api.post("accounts", "{\"name\":\"Typed\",\"owneridtype\":\"team\"}");
        assertEquals(400, typeName.status(), "the platform maintains owneridtype: " + typeName.body());
    }

    @Test
    void contactTakesGenderMobilePhoneAndKnowsItsParentsTable() {
        String account = api.createAccount("Parent");
        Response created = api.post("contacts", "{\"firstname\":\"Ada\",\"lastname\":\"Lovelace\",\"gendercode\":2,\"mobilephone\":\"+1 555 0100\","
                + "\"familystatuscode\":2,\"address3_city\":\"London\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + account + ")\"}");
        assertEquals(204, created.status(), created.body());
        JsonNode c = api.get("contacts(" + id(created) + ")?$select=gendercode,mobilephone,familystatuscode,address3_city,parentcustomeridtype,fullname",
                FORMATTED).json();
        assertEquals(2, c.path("gendercode").asInt());
        assertEquals("Female", c.path("gendercode" + FV).asText());
        assertEquals("Married", c.path("familystatuscode" + FV).asText());
        assertEquals("+1 555 0100", c.path("mobilephone").asText());
        assertEquals("London", c.path("address3_city").asText());
        assertEquals("account", c.path("parentcustomeridtype").asText());
        assertEquals("Ada Lovelace", c.path("fullname").asText());
    }

    @Test
    void metadataDocumentListsTheColumns() {
        Response r = api.get("$metadata", "Accept", "application/xml");
        assertEquals(200, r.status());
        String xml = r.body();
        int account = xml.indexOf("<EntityType Name=\"account\"");
        String type = xml.substring(account, xml.indexOf("</EntityType>", account));
        assertTrue(type.contains("<Property Name=\"address1_postalcode\" Type=\"Edm.String\" MaxLength=\"20\""), type);
        assertTrue(type.contains("<Property Name=\"owneridtype\" Type=\"Edm.String\""), type);
        assertTrue(type.contains("<Property Name=\"donotemail\" Type=\"Edm.Boolean\""), type);
        assertTrue(type.contains("<NavigationProperty Name=\"preferredsystemuserid\" Type=\"mscrm.systemuser\""), type);
    }

    @Test
    void taskTakesPriorityAndPercentCompleteAndKeepsItsPlatformColumns() {
        String account = api.createAccount("Regarding");
        Response created = api.post("tasks", "{\"subject\":\"Call back\",\"prioritycode\":2,\"percentcomplete\":40,\"category\":\"Follow-up\","
                + "\"actualdurationminutes\":15,\"regardingobjectid_account@odata.bind\":\"/accounts(" + account + ")\"}");
        assertEquals(204, created.status(), created.body());
        JsonNode t = api.get("tasks(" + id(created) + ")?$select=prioritycode,percentcomplete,category,actualdurationminutes,"
                + "scheduleddurationminutes,regardingobjecttypecode,activitytypecode,statecode,statuscode,_regardingobjectid_value", FORMATTED).json();
        assertEquals(2, t.path("prioritycode").asInt());
        assertEquals("High", t.path("prioritycode" + FV).asText());
        assertEquals(40, t.path("percentcomplete").asInt());
        assertEquals("Follow-up", t.path("category").asText());
        assertEquals(15, t.path("actualdurationminutes").asInt());
        assertTrue(t.has("scheduleddurationminutes"), "documented column answered: " + t);
        assertEquals("account", t.path("regardingobjecttypecode").asText(), "the regarding table follows the lookup");
        assertEquals("task", t.path("activitytypecode").asText());
        assertEquals("Not Started", t.path("statuscode" + FV).asText());
        assertEquals(account, t.path("_regardingobjectid_value").asText());

        Response over = api.post("tasks", "{\"subject\":\"Too far\",\"percentcomplete\":101}");
        assertEquals(400, over.status(), "percentcomplete is documented 0..100: " + over.body());
        Response scheduled = api.post("tasks", "{\"subject\":\"Computed\",\"scheduleddurationminutes\":30}");
        assertEquals(400, scheduled.status(), "scheduleddurationminutes is documented read-only: " + scheduled.body());
        Response normal = api.post("tasks", "{\"subject\":\"Default\"}");
        assertEquals(1, api.get("tasks(" + id(normal) + ")?$select=prioritycode").json().path("prioritycode").asInt(), "Normal by default");
    }

    @Test
    void emailTakesDirectionAndPriorityAndMayBeRegardingAJob() {
        String contact = id(api.post("contacts", "{\"lastname\":\"Recipient\"}"));
        Response created = api.post("emails", "{\"subject\":\"Welcome\",\"directioncode\":false,\"prioritycode\":0,"
                + "\"deliveryprioritycode\":2,\"regardingobjectid_contact@odata.bind\":\"/contacts(" + contact + ")\"}");
        assertEquals(204, created.status(), created.body());
        JsonNode e = api.get("emails(" + id(created) + ")?$select=directioncode,prioritycode,deliveryprioritycode,regardingobjecttypecode,"
                + "activitytypecode,attachmentcount,statuscode", FORMATTED).json();
        assertFalse(e.path("directioncode").asBoolean(true));
        assertEquals("Incoming", e.path("directioncode" + FV).asText());
        assertEquals("Low", e.path("prioritycode" + FV).asText());
        assertEquals("High", e.path("deliveryprioritycode" + FV).asText());
        assertEquals("contact", e.path("regardingobjecttypecode").asText());
        assertEquals("email", e.path("activitytypecode").asText());
        assertEquals(0, e.path("attachmentcount").asInt());
        assertEquals("Draft", e.path("statuscode" + FV).asText());

        Response outgoing = api.post("emails", "{\"subject\":\"Default direction\"}");
        assertEquals(204, outgoing.status(), outgoing.body());
        assertEquals("Outgoing", api.get("emails(" + id(outgoing) + ")?$select=directioncode", FORMATTED).json().path("directioncode" + FV).asText());
        Response changePriority = api.patch("emails(" + id(outgoing) + ")", "{\"deliveryprioritycode\":0}");
        assertEquals(400, changePriority.status(), "deliveryprioritycode is documented create-only: " + changePriority.body());
        Response badParty = api.post("emails", "{\"subject\":\"No such column\",\"to\":\"someone\"}");
        assertEquals(400, badParty.status(), "party lists go through email_activity_parties: " + badParty.body());
    }
}
