package dev.dve.metadata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataLoaderTest {

    @Test
    void builtInCatalogDerivesRelationshipsFromLookups() {
        MetadataCatalog c = new MetadataLoader().load(List.of());
        OneToManyRelationship r = c.relationship("contact_customer_accounts").orElseThrow();
        assertEquals("account", r.referencedEntity());
        assertEquals("contact", r.referencingEntity());
        assertEquals("parentcustomerid", r.referencingAttribute());
        assertEquals("parentcustomerid_account", r.referencingNavigation());
        AttributeMetadata owner = c.require("task").attribute("ownerid").orElseThrow();
        assertEquals("ownerid", owner.target("systemuser").orElseThrow().navigation());
        assertEquals("owner_task", owner.target("systemuser").orElseThrow().relationship(), "trait placeholders are filled in");
        assertEquals("owner_accounts", c.require("account").attribute("ownerid").orElseThrow().target("team").orElseThrow().relationship(),
                "an entity file's own column replaces the trait's");
        AttributeMetadata status = c.require("asyncoperation").attribute("statuscode").orElseThrow();
        assertEquals(2, status.optionSet().option(22).orElseThrow().state());
        assertEquals("_regardingobjectid_value", c.require("asyncoperation").attribute("regardingobjectid").orElseThrow().webApiName());
        assertEquals("Edm.Date", c.require("contact").attribute("birthdate").orElseThrow().edmType());
    }

    @Test
    void extraDirectoryAddsAnEntity(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("thing.json"), "{\"logicalName\":\"new_thing\",\"entitySetName\":\"new_things\","
                + "\"attributes\":{\"new_name\":{\"type\":\"String\",\"maxLength\":20}}}");
        MetadataCatalog c = new MetadataLoader().load(List.of(dir));
        EntityMetadata e = c.byEntitySet("new_things").orElseThrow();
        assertEquals("new_thingid", e.primaryIdAttribute(), "primary id defaults to <logicalname>id");
        assertEquals(20, e.attribute("new_name").orElseThrow().maxLength());
        // a custom table gets its own relationships to system jobs and process sessions, a shipped undocumented one none
        assertEquals("new_thing_AsyncOperations", c.require("asyncoperation").attribute("regardingobjectid").orElseThrow()
                .target("new_thing").orElseThrow().relationship());
        assertTrue(c.require("processsession").attribute("regardingobjectid").orElseThrow().target("new_thing").isPresent());
        assertTrue(c.require("asyncoperation").attribute("regardingobjectid").orElseThrow().target("workflow").isEmpty());
    }

    @Test
    void workflowTableColumnsHaveTheirDocumentedTypes() {
        MetadataCatalog c = new MetadataLoader().load(List.of());
        AttributeMetadata state = c.require("processsession").attribute("processstate").orElseThrow();
        assertEquals(AttributeType.STRING, state.type());
        assertEquals(1073741823, state.maxLength());
        for (String t : new String[]{"asyncoperation", "workflow", "processsession", "workflowlog"}) {
            assertTrue(c.require(t).attribute("overriddencreatedon").isEmpty(), t + " has no overriddencreatedon");
        }
        assertTrue(c.require("processsession").attribute("versionnumber").isEmpty());
        assertTrue(c.require("workflowlog").attribute("versionnumber").isEmpty());
        assertTrue(c.require("asyncoperation").attribute("versionnumber").isPresent(), "the async service's compare-and-set uses it");
        assertTrue(c.require("account").attribute("overriddencreatedon").isPresent());
    }

    @Test
    void badFilesAreRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.json"), "{\"logicalName\":\"new_bad\",\"entitySetName\":\"new_bads\","
                + "\"attributes\":{\"x\":{\"type\":\"Lookup\",\"targets\":{\"nosuchentity\":\"rel\"}}}}");
        MetadataException e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(List.of(dir)));
        assertTrue(e.getMessage().contains("nosuchentity"), e.getMessage());

        Files.writeString(dir.resolve("bad.json"), "{\"logicalName\":\"new_bad\",\"entitySetName\":\"new_bads\","
                + "\"attributes\":{\"x\":{\"type\":\"Sparkly\"}}}");
        e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(List.of(dir)));
        assertTrue(e.getMessage().contains("Sparkly"), e.getMessage());

        Files.writeString(dir.resolve("bad.json"), "{\"logicalName\":\"new_bad\",\"entitySetName\":\"accounts\"}");
        e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(List.of(dir)));
        assertTrue(e.getMessage().contains("accounts"), e.getMessage());

        Files.writeString(dir.resolve("bad.json"), "{\"logicalName\":\"new_bad\",\"entitySetName\":\"new_bads\","
                + "\"platformColumns\":{\"nosuchcolumn\":\"why\"}}");
        e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(List.of(dir)));
        assertTrue(e.getMessage().contains("'nosuchcolumn' is not an attribute"), e.getMessage());

        Files.writeString(dir.resolve("bad.json"), "{\"logicalName\":\"new_bad\",\"entitySetName\":\"new_bads\",\"traits\":[\"audit\"],"
                + "\"platformColumns\":{\"versionnumber\":\"\"}}");
        e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(List.of(dir)));
        assertTrue(e.getMessage().contains("'versionnumber' needs a reason"), e.getMessage());
    }
}
