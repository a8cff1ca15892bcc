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

/** The shipped relationships carry Dataverse's documented delete behaviour; entity files can declare their own. */
class CascadeDefaultsTest {
    private final MetadataCatalog catalog = new MetadataLoader().load(List.of());

    private CascadeType delete(String relationship) {
        return catalog.relationship(relationship).orElseThrow(() -> new AssertionError(relationship)).cascade().delete();
    }

    @Test
    void shippedRelationshipsHaveTheDocumentedDeleteBehaviour() {
        assertEquals(CascadeType.CASCADE, delete("Account_Tasks"));
        assertEquals(CascadeType.CASCADE, delete("Contact_Emails"));
        assertEquals(CascadeType.CASCADE, delete("contact_customer_accounts"), "a contact's parent account is parental");
        assertEquals(CascadeType.REMOVE_LINK, delete("contact_customer_contacts"));
        assertEquals(CascadeType.REMOVE_LINK, delete("account_parent_account"));
        assertEquals(CascadeType.REMOVE_LINK, delete("account_primary_contact"));
        assertEquals(CascadeType.CASCADE, delete("lk_workflowlog_asyncoperations"));
        assertEquals(CascadeType.RESTRICT, delete("business_unit_system_users"));
        assertEquals(CascadeType.RESTRICT, delete("business_unit_parent_business_unit"));
        assertEquals(CascadeType.CASCADE, catalog.relationship("account_parent_account").orElseThrow().cascade().assign());
    }

    @Test
    void relationshipsNotListedCascadeNothing() {
        assertEquals(CascadeType.NO_CASCADE, delete("Account_AsyncOperations"), "a record's system jobs outlive it");
        assertEquals(CascadeType.NO_CASCADE, delete("Contact_ProcessSessions"));
        assertEquals(CascadeType.NO_CASCADE, delete("owner_accounts"));
        assertEquals(CascadeType.NO_CASCADE, delete("lk_task_createdby"));
        assertEquals(CascadeConfiguration.NONE, catalog.relationship("business_unit_accounts").orElseThrow().cascade());
    }

    @Test
    void everyListedRelationshipExists() {
        for (String name : MetadataLoader.cascades().keySet()) {
            assertTrue(catalog.relationship(name).isPresent(), "metadata/cascades.json names " + name + ", which no lookup has");
        }
    }

    @Test
    void anEntityFileDeclaresACascadeOnItsLookupTarget(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("thing.json"), "{\"logicalName\":\"new_thing\",\"entitySetName\":\"new_things\",\"attributes\":{"
                + "\"new_accountid\":{\"type\":\"Lookup\",\"targets\":{\"account\":{\"relationship\":\"new_account_things\",\"cascade\":{\"delete\":\"Restrict\"}}}},"
                + "\"new_contactid\":{\"type\":\"Lookup\",\"targets\":{\"contact\":\"new_contact_things\"}}}}");
        MetadataCatalog c = new MetadataLoader().load(List.of(dir));
        CascadeConfiguration declared = c.relationship("new_account_things").orElseThrow().cascade();
        assertEquals(CascadeType.RESTRICT, declared.delete());
        assertEquals(CascadeType.NO_CASCADE, declared.assign(), "actions not named cascade nothing");
        assertEquals(CascadeConfiguration.NONE, c.relationship("new_contact_things").orElseThrow().cascade());
    }

    @Test
    void valuesAnActionCannotHaveAreRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("thing.json"), "{\"logicalName\":\"new_thing\",\"entitySetName\":\"new_things\",\"attributes\":{"
                + "\"new_accountid\":{\"type\":\"Lookup\",\"targets\":{\"account\":{\"relationship\":\"r\",\"cascade\":{\"assign\":\"RemoveLink\"}}}}}}");
        MetadataException e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(List.of(dir)));
        assertTrue(e.getMessage().contains("assign cannot be RemoveLink"), e.getMessage());
        Files.writeString(dir.resolve("thing.json"), "{\"logicalName\":\"new_thing\",\"entitySetName\":\"new_things\",\"attributes\":{"
                + "\"new_accountid\":{\"type\":\"Lookup\",\"targets\":{\"account\":{\"relationship\":\"r\",\"cascade\":{\"delete\":\"Sometimes\"}}}}}}");
        e = assertThrows(MetadataException.class, () -> new MetadataLoader().load(List.of(dir)));
        assertTrue(e.getMessage().contains("Sometimes"), e.getMessage());
    }
}
