package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.metadata.MetadataException;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.EmulatorServer;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.TestDatabases;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --import-metadata}: the custom tables of an org's {@code $metadata} are served like the built-in ones — listed
 * in {@code $metadata}, created, filtered, expanded through their lookups both ways, bound with {@code @odata.bind} and
 * joined in FetchXML.
 */
class ImportedMetadataTest extends EmulatorTest {
    private static final String APP_USER = "00000000-0000-0000-0000-000000000101";

    static Path contoso() {
        try {
            return Path.of(ImportedMetadataTest.class.getResource("/csdl/contoso-metadata.xml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected EmulatorConfig config() {
        return super.config().withImportedMetadata(contoso());
    }

    private String createProject(String body) {
        Response r = api.post("new_projects", body, "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("new_projectid").asText();
    }

    @Test
    void metadataListsTheImportedTables() {
        Response r = api.get("$metadata");
        assertEquals(200, r.status());
        String csdl = r.body();
        assertTrue(csdl.matches("(?s).*<EntitySet Name=\"new_projects\" EntityType=\"(mscrm|Microsoft\\.Dynamics\\.CRM)\\.new_project\".*"),
                "entity set of the custom table");
        assertTrue(csdl.contains("<EntitySet Name=\"new_projecttasks\""), "second custom table");
        assertTrue(csdl.contains("<EntityType Name=\"new_project\""));
        assertTrue(csdl.contains("<Property Name=\"_new_accountid_value\" Type=\"Edm.Guid\""), "lookup value property");
        assertTrue(csdl.contains("<Property Name=\"new_startdate\" Type=\"Edm.Date\""), "date-only column");
        assertTrue(csdl.contains("<Property Name=\"new_bigcounter\" Type=\"Edm.Int64\""));
        assertTrue(csdl.matches("(?s).*<NavigationProperty Name=\"new_account_new_project\" Type=\"Collection\\((mscrm|Microsoft\\.Dynamics\\.CRM)\\.new_project\\)\".*"),
                "the one-to-many on account");
        assertTrue(csdl.matches("(?s).*<NavigationProperty Name=\"new_project_new_projecttask\" Type=\"Collection\\((mscrm|Microsoft\\.Dynamics\\.CRM)\\.new_projecttask\\)\".*"),
                "the one-to-many between the custom tables");
        assertFalse(csdl.matches("(?s).*<EntitySet Name=\"crmbaseentit[^\"]*\".*"), "the abstract base is not a table");
        assertTrue(csdl.matches("(?s).*<EntityType Name=\"crmbaseentity\" Abstract=\"true\".*"),
                "it stays the abstract type Dataverse declares (the sharing messages' Target), with no table of its own");
        assertEquals(200, api.get("privileges?$filter=name%20eq%20'prvCreatenew_project'").status());
        assertEquals(1, api.get("privileges?$filter=name%20eq%20'prvCreatenew_project'").json().path("value").size(),
                "an imported table gets privileges like any other");
    }

    @Test
    void crudOnAnImportedTable() {
        String account = api.createAccount("Northwind");
        String longCode = "X".repeat(300);
        Response created = api.post("new_projects", "{\"new_name\":\"Migration\",\"new_code\":\"" + longCode + "\",\"new_notes\":\"long text\","
                        + "\"new_budget\":1234.567,\"new_hours\":12.5,\"new_seats\":4,\"new_bigcounter\":9007199254740993,\"new_billable\":true,"
                        + "\"new_startdate\":\"2025-03-01\",\"new_kickoff\":\"2025-03-03T09:30:00Z\",\"new_externalid\":\"1b2f6c1e-0000-4000-8000-000000000001\","
                        + "\"new_logo\":\"iVBORw0KGgo=\",\"new_accountid@odata.bind\":\"/accounts(" + account + ")\"}",
                "Prefer", "return=representation");
        assertEquals(201, created.status(), created.body());
        JsonNode p = created.json();
        String id = p.path("new_projectid").asText();
        assertEquals("1234.57", p.path("new_budget").decimalValue().toPlainString(), "Scale 2 rounds");
        assertEquals(longCode, p.path("new_code").asText(), "text without MaxLength takes Dataverse's longest single line");
        assertEquals("2025-03-01", p.path("new_startdate").asText());
        assertEquals(9007199254740993L, p.path("new_bigcounter").asLong());
        assertEquals("iVBORw0KGgo=", p.path("new_logo").asText(), "binary columns keep their base64 text");
        assertEquals(account, p.path("_new_accountid_value").asText());
        assertEquals(0, p.path("statecode").asInt(), "Active, as every new Dataverse table");
        assertEquals(1, p.path("statuscode").asInt());
        assertEquals(APP_USER, p.path("_ownerid_value").asText(), "user-owned: owned by the caller");
        assertEquals(APP_USER, p.path("_createdby_value").asText(), "audit columns are the platform's");
        assertFalse(p.path("createdon").asText().isEmpty());

        assertEquals(204, api.patch("new_projects(" + id + ")", "{\"new_seats\":5,\"statecode\":1,\"statuscode\":2}").status());
        JsonNode read = api.get("new_projects(" + id + ")?$select=new_seats,statecode,new_name").json();
        assertEquals(5, read.path("new_seats").asInt());
        assertEquals(1, read.path("statecode").asInt());
        assertEquals(400, api.patch("new_projects(" + id + ")", "{\"statuscode\":7}").status(), "only Active/Inactive status reasons");
        assertEquals(400, api.post("new_projects", "{\"new_seats\":\"many\"}").status(), "typed columns refuse other JSON");
        assertEquals(204, api.delete("new_projects(" + id + ")").status());
        assertEquals(404, api.get("new_projects(" + id + ")").status());
    }

    @Test
    void filterExpandAndBind() {
        String account = api.createAccount("Tailspin");
        String big = createProject("{\"new_name\":\"Big\",\"new_seats\":10,\"new_billable\":true,\"new_accountid@odata.bind\":\"/accounts(" + account + ")\"}");
        createProject("{\"new_name\":\"Small\",\"new_seats\":2,\"new_billable\":true}");
        String other = createProject("{\"new_name\":\"Other\",\"new_seats\":20,\"new_billable\":false}");

        Response filtered = api.get("new_projects?$select=new_name&$filter=new_seats%20gt%203%20and%20new_billable%20eq%20true");
        assertEquals(200, filtered.status(), filtered.body());
        assertEquals(List.of("Big"), names(filtered.json().path("value"), "new_name"));
        Response byLookup = api.get("new_projects?$select=new_name&$filter=_new_accountid_value%20eq%20" + account);
        assertEquals(List.of("Big"), names(byLookup.json().path("value"), "new_name"));

        Response task = api.post("new_projecttasks", "{\"new_name\":\"Plan\",\"new_estimate\":1.123456789,\"new_projectid@odata.bind\":\"/new_projects(" + big + ")\"}",
                "Prefer", "return=representation");
        assertEquals(201, task.status(), task.body());
        String taskId = task.json().path("new_projecttaskid").asText();
        assertEquals(big, task.json().path("_new_projectid_value").asText());
        assertEquals("1.123456789", task.json().path("new_estimate").decimalValue().toPlainString(), "Scale Variable keeps ten places");
        api.post("new_projecttasks", "{\"new_name\":\"Build\",\"new_projectid@odata.bind\":\"/new_projects(" + big + ")\"}");

        // many-to-one: the task's lookup
        JsonNode expanded = api.get("new_projecttasks(" + taskId + ")?$select=new_name&$expand=new_projectid($select=new_name,new_seats)").json();
        assertEquals("Big", expanded.path("new_projectid").path("new_name").asText());
        // one-to-many: the project's tasks, and the account's projects
        JsonNode tasks = api.get("new_projects(" + big + ")?$select=new_name&$expand=new_project_new_projecttask($select=new_name;$orderby=new_name)").json();
        assertEquals(List.of("Build", "Plan"), names(tasks.path("new_project_new_projecttask"), "new_name"));
        JsonNode accountProjects = api.get("accounts(" + account + ")?$select=name&$expand=new_account_new_project($select=new_name)").json();
        assertEquals(List.of("Big"), names(accountProjects.path("new_account_new_project"), "new_name"));
        JsonNode related = api.get("new_projects(" + big + ")/new_project_new_projecttask?$select=new_name&$orderby=new_name").json();
        assertEquals(List.of("Build", "Plan"), names(related.path("value"), "new_name"));

        // @odata.bind moves the task to another project; the lookup filter follows
        assertEquals(204, api.patch("new_projecttasks(" + taskId + ")", "{\"new_projectid@odata.bind\":\"/new_projects(" + other + ")\"}").status());
        assertEquals(other, api.get("new_projecttasks(" + taskId + ")?$select=_new_projectid_value").json().path("_new_projectid_value").asText());
        Response bad = api.patch("new_projecttasks(" + taskId + ")", "{\"new_projectid@odata.bind\":\"/accounts(" + account + ")\"}");
        assertEquals(400, bad.status(), "a lookup binds only to its target table: " + bad.body());
    }

    @Test
    void fetchXmlJoinsImportedTables() {
        String big = createProject("{\"new_name\":\"Big\",\"new_budget\":500}");
        String small = createProject("{\"new_name\":\"Small\",\"new_budget\":50}");
        api.post("new_projecttasks", "{\"new_name\":\"On big\",\"new_projectid@odata.bind\":\"/new_projects(" + big + ")\"}");
        api.post("new_projecttasks", "{\"new_name\":\"On small\",\"new_projectid@odata.bind\":\"/new_projects(" + small + ")\"}");
        String xml = "<fetch><entity name='new_projecttask'><attribute name='new_name'/>"
                + "<link-entity name='new_project' from='new_projectid' to='new_projectid' alias='p'><attribute name='new_name'/>"
                + "<filter><condition attribute='new_budget' operator='gt' value='100'/></filter></link-entity></entity></fetch>";
        Response r = api.get("new_projecttasks?fetchXml=" + URLEncoder.encode(xml, StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("On big"), names(r.json().path("value"), "new_name"));
        assertEquals("Big", r.json().path("value").get(0).path("p.new_name").asText());
    }

    @Test
    void twoNodesImportingTheSameFileShareOneDatabase() throws Exception {
        TestDatabases.Target db = TestDatabases.fresh();
        EmulatorConfig config = EmulatorConfig.embedded().withDatabase(db.url(), db.user(), db.password())
                .withUrl("http://org.dve.test").withImportedMetadata(contoso());
        // started together: both create the imported tables (and everything else) on the empty database at once
        CompletableFuture<EmulatorServer> a = CompletableFuture.supplyAsync(() -> start(config.withNodeId("a")));
        CompletableFuture<EmulatorServer> b = CompletableFuture.supplyAsync(() -> start(config.withNodeId("b")));
        try (EmulatorServer nodeA = a.get(); EmulatorServer nodeB = b.get()) {
            WebApi apiA = new WebApi(nodeA.baseUrl());
            String token = apiA.clientCredentialsToken(APP_CLIENT_ID, APP_SECRET);
            apiA = apiA.withToken(token);
            WebApi apiB = new WebApi(nodeB.baseUrl()).withToken(token);
            Response created = apiA.post("new_projects", "{\"new_name\":\"Shared\"}", "Prefer", "return=representation");
            assertEquals(201, created.status(), created.body());
            String id = created.json().path("new_projectid").asText();
            Response onB = apiB.get("new_projects(" + id + ")?$select=new_name");
            assertEquals(200, onB.status(), onB.body());
            assertEquals("Shared", onB.json().path("new_name").asText());
        }
    }

    private static EmulatorServer start(EmulatorConfig c) {
        try {
            return new EmulatorServer(c).start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnsupportedConstructStopsTheStart() throws Exception {
        String doc = Files.readString(contoso()).replace("<Property Name=\"new_hours\" Type=\"Edm.Double\"/>",
                "<Property Name=\"new_hours\" Type=\"mscrm.BooleanManagedProperty\"/>");
        Path bad = Files.createTempFile("dve-csdl", ".xml");
        Files.writeString(bad, doc);
        TestDatabases.Target db = TestDatabases.fresh();
        EmulatorConfig config = EmulatorConfig.embedded().withDatabase(db.url(), db.user(), db.password()).withImportedMetadata(bad);
        MetadataException e = assertThrows(MetadataException.class, () -> new EmulatorServer(config).start());
        assertTrue(e.getMessage().contains("'new_project'") && e.getMessage().contains("new_hours") && e.getMessage().contains("complex type"),
                e.getMessage());
    }

    private static List<String> names(JsonNode rows, String field) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path(field).asText()));
        return out;
    }
}
