package dev.dve.server.webapi;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSDL document clients read: entity sets, attributes with their types, lookups, navigation and option sets. */
class MetadataDocumentTest extends EmulatorTest {

    private Document metadata() throws Exception {
        Response r = api.get("$metadata", "Accept", "application/xml");
        assertEquals(200, r.status(), r.body());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
    }

    private static Element entityType(Document d, String name) {
        NodeList types = d.getElementsByTagNameNS("*", "EntityType");
        for (int i = 0; i < types.getLength(); i++) {
            Element e = (Element) types.item(i);
            if (e.getAttribute("Name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no entity type " + name);
    }

    private static Map<String, Element> children(Element type, String tag) {
        Map<String, Element> out = new HashMap<>();
        NodeList nodes = type.getElementsByTagNameNS("*", tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getParentNode() == type) {
                out.put(e.getAttribute("Name"), e);
            }
        }
        return out;
    }

    @Test
    void namespaceAndEntitySets() throws Exception {
        Document d = metadata();
        Element schema = (Element) d.getElementsByTagNameNS("*", "Schema").item(0);
        assertEquals("Microsoft.Dynamics.CRM", schema.getAttribute("Namespace"));
        Set<String> sets = new HashSet<>();
        NodeList es = d.getElementsByTagNameNS("*", "EntitySet");
        for (int i = 0; i < es.getLength(); i++) {
            sets.add(((Element) es.item(i)).getAttribute("Name"));
        }
        for (String s : new String[]{"workflows", "asyncoperations", "processsessions", "workflowlogs", "systemusers", "businessunits",
                "teams", "roles", "privileges", "organizations", "accounts", "contacts", "tasks", "emails", "savedqueries", "userqueries",
                "serviceendpoints", "sdkmessageprocessingsteps"}) {
            assertTrue(sets.contains(s), "entity set " + s);
        }
    }

    @Test
    void workflowEngineAttributesHaveTheirTypes() throws Exception {
        Document d = metadata();
        Map<String, String> expected = Map.ofEntries(
                Map.entry("asyncoperation.postponeuntil", "Edm.DateTimeOffset"), Map.entry("asyncoperation.retrycount", "Edm.Int32"),
                Map.entry("asyncoperation.operationtype", "Edm.Int32"), Map.entry("asyncoperation.errorcode", "Edm.Int32"),
                Map.entry("asyncoperation.executiontimespan", "Edm.Double"), Map.entry("asyncoperation.sequence", "Edm.Int64"),
                Map.entry("asyncoperation._workflowactivationid_value", "Edm.Guid"), Map.entry("asyncoperation._regardingobjectid_value", "Edm.Guid"),
                Map.entry("asyncoperation.friendlymessage", "Edm.String"), Map.entry("asyncoperation.depth", "Edm.Int32"),
                Map.entry("workflow.mode", "Edm.Int32"), Map.entry("workflow.xaml", "Edm.String"), Map.entry("workflow.syncworkflowlogonfailure", "Edm.Boolean"),
                Map.entry("workflow.triggeronupdateattributelist", "Edm.String"), Map.entry("workflow.rank", "Edm.Int32"),
                Map.entry("workflow._activeworkflowid_value", "Edm.Guid"), Map.entry("workflow._parentworkflowid_value", "Edm.Guid"),
                Map.entry("processsession.errorcode", "Edm.Int32"), Map.entry("processsession._processid_value", "Edm.Guid"),
                Map.entry("processsession.completedon", "Edm.DateTimeOffset"),
                Map.entry("workflowlog.status", "Edm.Int32"), Map.entry("workflowlog._asyncoperationid_value", "Edm.Guid"),
                Map.entry("workflowlog.stepname", "Edm.String"));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Element p = children(entityType(d, parts[0]), "Property").get(parts[1]);
            assertTrue(p != null, "property " + e.getKey());
            assertEquals(e.getValue(), p.getAttribute("Type"), e.getKey());
        }
    }

    @Test
    void aPlatformColumnIsNoProperty() throws Exception {
        Document d = metadata();
        assertFalse(children(entityType(d, "asyncoperation"), "Property").containsKey("versionnumber"),
                "the async service's compare-and-set column; Microsoft lists none for system jobs");
        assertTrue(children(entityType(d, "asyncoperation"), "Property").containsKey("sequence"));
        for (String versioned : new String[]{"account", "workflow"}) {
            Element v = children(entityType(d, versioned), "Property").get("versionnumber");
            assertTrue(v != null, versioned);
            assertEquals("Edm.Int64", v.getAttribute("Type"), versioned);
        }
    }

    @Test
    void lookupsHaveValuePropertiesAndNavigationOnBothSides() throws Exception {
        Document d = metadata();
        Map<String, Element> aoNav = children(entityType(d, "asyncoperation"), "NavigationProperty");
        assertEquals("mscrm.account", aoNav.get("regardingobjectid_account").getAttribute("Type"));
        assertEquals("mscrm.workflow", aoNav.get("workflowactivationid").getAttribute("Type"));
        Map<String, Element> accountNav = children(entityType(d, "account"), "NavigationProperty");
        assertEquals("Collection(mscrm.asyncoperation)", accountNav.get("Account_AsyncOperations").getAttribute("Type"));
        assertEquals("Collection(mscrm.contact)", accountNav.get("contact_customer_accounts").getAttribute("Type"));
        Map<String, Element> contactNav = children(entityType(d, "contact"), "NavigationProperty");
        assertTrue(contactNav.containsKey("parentcustomerid_account") && contactNav.containsKey("parentcustomerid_contact"));
        assertTrue(children(entityType(d, "contact"), "Property").containsKey("_parentcustomerid_value"));
        Map<String, Element> workflowNav = children(entityType(d, "workflow"), "NavigationProperty");
        assertTrue(workflowNav.containsKey("lk_asyncoperation_workflowactivationid") && workflowNav.containsKey("lk_processsession_processid"));
    }

    @Test
    void ownerIsOneNavigationPropertyToPrincipal() throws Exception {
        Document d = metadata();
        Element principal = entityType(d, "principal");
        assertEquals("true", principal.getAttribute("Abstract"));
        assertEquals("Edm.Guid", children(principal, "Property").get("ownerid").getAttribute("Type"));
        Element owners = children(principal, "NavigationProperty").get("owner_accounts");
        assertEquals("Collection(mscrm.account)", owners.getAttribute("Type"));
        assertEquals("ownerid", owners.getAttribute("Partner"));
        for (String derived : new String[]{"systemuser", "team"}) {
            Element type = entityType(d, derived);
            assertEquals("mscrm.principal", type.getAttribute("BaseType"), derived);
            assertTrue(!children(type, "NavigationProperty").containsKey("owner_accounts"), derived + " inherits owner_accounts");
            assertEquals(1, type.getElementsByTagNameNS("*", "Key").getLength(), derived + " keeps its own key");
        }
        assertEquals("systemuserid", ((Element) entityType(d, "systemuser").getElementsByTagNameNS("*", "PropertyRef").item(0)).getAttribute("Name"));
        assertEquals("teamid", ((Element) entityType(d, "team").getElementsByTagNameNS("*", "PropertyRef").item(0)).getAttribute("Name"));
        for (String owned : new String[]{"account", "contact", "task", "asyncoperation", "processsession", "workflowlog"}) {
            Map<String, Element> nav = children(entityType(d, owned), "NavigationProperty");
            assertEquals("mscrm.principal", nav.get("ownerid").getAttribute("Type"), owned);
            assertTrue(nav.keySet().stream().noneMatch(n -> n.startsWith("ownerid_")), owned + " " + nav.keySet());
        }
        Map<String, Element> logNav = children(entityType(d, "workflowlog"), "NavigationProperty");
        assertTrue(!logNav.containsKey("regardingobjectid") && logNav.keySet().stream().noneMatch(n -> n.startsWith("regardingobjectid_")),
                "workflowlog.regardingobjectid documents no targets: no navigation property " + logNav.keySet());
        assertTrue(children(entityType(d, "workflowlog"), "Property").containsKey("_regardingobjectid_value"));
        assertTrue(!r(api.get("$metadata")).contains("ownerid_team"));
    }

    private static String r(Response response) {
        return response.body();
    }

    @Test
    void workflowTableRelationshipsCarryTheirDocumentedNames() throws Exception {
        Document d = metadata();
        Map<String, Element> userNav = children(entityType(d, "systemuser"), "NavigationProperty");
        for (String name : new String[]{"system_user_asyncoperation", "lk_asyncoperation_createdby",
                "workflow_createdby", "workflow_createdonbehalfby", "workflow_modifiedby", "workflow_modifiedonbehalfby",
                "lk_processsessionbase_createdonbehalfby", "lk_processsessionbase_modifiedonbehalfby", "lk_workflowlog_createdby"}) {
            assertTrue(userNav.containsKey(name), "systemuser navigation " + name);
        }
        Map<String, Element> principalNav = children(entityType(d, "principal"), "NavigationProperty");
        for (String name : new String[]{"owner_asyncoperations", "owner_processsessions"}) {
            assertTrue(principalNav.containsKey(name), "principal navigation " + name);
        }
        for (String old : new String[]{"user_asyncoperation", "owner_asyncoperation", "lk_workflow_createdby", "lk_processsession_createdonbehalfby"}) {
            assertTrue(!userNav.containsKey(old), "undocumented systemuser navigation " + old);
        }
        Map<String, Element> buNav = children(entityType(d, "businessunit"), "NavigationProperty");
        assertTrue(buNav.containsKey("business_unit_workflowlogs") && buNav.containsKey("Owning_businessunit_processsessions")
                && buNav.containsKey("business_unit_asyncoperation"), buNav.keySet().toString());
        assertTrue(!buNav.containsKey("business_unit_workflowlog") && !buNav.containsKey("business_unit_processsession"));
        Map<String, Element> stepNav = children(entityType(d, "sdkmessageprocessingstep"), "NavigationProperty");
        assertEquals("Collection(mscrm.asyncoperation)", stepNav.get("SdkMessageProcessingStep_AsyncOperations").getAttribute("Type"));
    }

    @Test
    void regardingLookupsReachTheDocumentedTablesOnly() throws Exception {
        Document d = metadata();
        Map<String, Element> aoNav = children(entityType(d, "asyncoperation"), "NavigationProperty");
        for (String t : new String[]{"account", "contact", "task", "email", "systemuser", "team", "businessunit", "bulkdeleteoperation"}) {
            assertTrue(aoNav.containsKey("regardingobjectid_" + t), "asyncoperation regarding " + t);
        }
        for (String t : new String[]{"workflow", "processsession", "workflowlog", "sdkmessageprocessingstep", "asyncoperation"}) {
            assertTrue(!aoNav.containsKey("regardingobjectid_" + t), "undocumented asyncoperation regarding " + t);
        }
        Map<String, Element> psNav = children(entityType(d, "processsession"), "NavigationProperty");
        assertTrue(psNav.containsKey("regardingobjectid_account") && !psNav.containsKey("regardingobjectid_workflow")
                && !psNav.containsKey("regardingobjectid_organization"), psNav.keySet().toString());
        assertTrue(!children(entityType(d, "workflow"), "NavigationProperty").containsKey("Workflow_AsyncOperations"));

        String account = api.createAccount("Regarding");
        assertEquals(204, api.post("processsessions", "{\"name\":\"s1\",\"regardingobjectid_account@odata.bind\":\"/accounts(" + account + ")\"}").status());
        String org = api.get("organizations?$select=organizationid").json().path("value").path(0).path("organizationid").asText();
        Response refused = api.post("processsessions", "{\"name\":\"s2\",\"regardingobjectid_organization@odata.bind\":\"/organizations(" + org + ")\"}");
        assertEquals(400, refused.status(), refused.body());
    }

    @Test
    void aProcessSessionKeepsALongProcessState() {
        String state = "s".repeat(20000);
        Response created = api.post("processsessions", "{\"name\":\"long\",\"processstate\":\"" + state + "\"}", "Prefer", "return=representation");
        assertEquals(201, created.status(), created.body());
        assertEquals(state, created.json().path("processstate").asText());
    }

    @Test
    void optionSetsCarryValuesAndLabels() throws Exception {
        Document d = metadata();
        Element op = children(entityType(d, "asyncoperation"), "Property").get("operationtype");
        String xml = serialize(op);
        assertTrue(xml.contains("Term=\"mscrm.OptionSet\"") || xml.contains("Term=\"Microsoft.Dynamics.CRM.OptionSet\""), "option-set annotation");
        assertTrue(xml.contains("<Int>10</Int></PropertyValue><PropertyValue Property=\"Label\"><String>Workflow</String>"), "10 Workflow");
        assertTrue(xml.contains("<Int>13</Int></PropertyValue><PropertyValue Property=\"Label\"><String>Bulk Delete</String>"), "13 Bulk Delete");
        String state = serialize(children(entityType(d, "asyncoperation"), "Property").get("statuscode"));
        assertTrue(state.contains("Waiting For Resources") && state.contains("Canceling") && state.contains("Succeeded"), "status labels");
        String stage = serialize(children(entityType(d, "workflow"), "Property").get("createstage"));
        assertTrue(stage.contains("Pre-operation") && stage.contains("Post-operation"), "stage labels");
    }

    private static String serialize(Element e) throws Exception {
        var t = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
        var w = new java.io.StringWriter();
        t.transform(new javax.xml.transform.dom.DOMSource(e), new javax.xml.transform.stream.StreamResult(w));
        return w.toString();
    }

    @Test
    void serviceDocumentListsEntitySetsAndEveryVersionIsServed() {
        for (String v : new String[]{"v9.0", "v9.1", "v9.2"}) {
            Response r = api.get("/api/data/" + v + "/");
            assertEquals(200, r.status(), v);
            assertTrue(r.body().contains("\"name\":\"accounts\""), r.body());
            assertTrue(r.json().path("@odata.context").asText().endsWith("/api/data/" + v + "/$metadata"));
            Response who = api.get("/api/data/" + v + "/WhoAmI");
            assertEquals(200, who.status(), who.body());
            assertEquals("00000000-0000-0000-0000-00000000000a", who.json().path("OrganizationId").asText());
            assertTrue(who.json().path("@odata.context").asText().endsWith("/api/data/" + v + "/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"));
        }
        assertEquals(200, api.get("WhoAmI()").status());
    }
}
