package dev.dve.metadata.csdl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.AttributeType;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataException;
import dev.dve.metadata.MetadataLoader;
import dev.dve.metadata.OneToManyRelationship;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSDL → entity data file mapping: types, keys, lookups, relationships, and the errors that stop a start. */
class CsdlImportTest {
    private static final Set<String> BUILT_IN = Set.of("account", "contact", "systemuser", "team", "businessunit", "organization");

    /** A schema with the given entity types (and an entity set for each non-abstract type named in {@code sets}). */
    private static String doc(String types, String... sets) {
        StringBuilder container = new StringBuilder();
        for (String s : sets) {
            container.append("<EntitySet Name=\"").append(s).append("s\" EntityType=\"Microsoft.Dynamics.CRM.").append(s).append("\"/>");
        }
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
                <Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">
                <EntityType Name="crmbaseentity" Abstract="true"/>
                <EntityType Name="account" BaseType="mscrm.crmbaseentity"><Key><PropertyRef Name="accountid"/></Key><Property Name="accountid" Type="Edm.Guid"/></EntityType>
                """ + types + "<EntityContainer Name=\"System\"><EntitySet Name=\"accounts\" EntityType=\"Microsoft.Dynamics.CRM.account\"/>"
                + container + "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>";
    }

    private static CsdlDocument parse(String xml) {
        return CsdlDocument.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test.xml");
    }

    private static List<ObjectNode> map(String xml, String... selection) {
        return new CsdlImport(parse(xml), "test.xml", BUILT_IN).entities(Set.of(selection));
    }

    private static String type(String name, String body) {
        return "<EntityType Name=\"" + name + "\" BaseType=\"mscrm.crmbaseentity\"><Key><PropertyRef Name=\"" + name + "id\"/></Key>"
                + "<Property Name=\"" + name + "id\" Type=\"Edm.Guid\"/>" + body + "</EntityType>";
    }

    @Test
    void primitiveTypesAndFacets() {
        String xml = doc(type("new_thing", """
                <Property Name="new_name" Type="Edm.String" MaxLength="80"/>
                <Property Name="new_code" Type="Edm.String"/>
                <Property Name="new_notes" Type="Edm.String" MaxLength="max"/>
                <Property Name="new_count" Type="Edm.Int32"/>
                <Property Name="new_big" Type="Edm.Int64"/>
                <Property Name="new_amount" Type="Edm.Decimal" Scale="2"/>
                <Property Name="new_ratio" Type="Edm.Decimal" Scale="Variable"/>
                <Property Name="new_score" Type="Edm.Double"/>
                <Property Name="new_flag" Type="Edm.Boolean"/>
                <Property Name="new_at" Type="Edm.DateTimeOffset"/>
                <Property Name="new_day" Type="Edm.Date"/>
                <Property Name="new_ref" Type="Edm.Guid"/>
                <Property Name="new_blob" Type="Edm.Binary"/>
                <Property Name="statecode" Type="Edm.Int32"/>
                <Property Name="statuscode" Type="Edm.Int32"/>
                """), "new_thing");
        List<ObjectNode> files = map(xml);
        assertEquals(1, files.size());
        JsonNode f = files.get(0);
        assertEquals("new_thing", f.path("logicalName").asText());
        assertEquals("new_things", f.path("entitySetName").asText(), "the set name comes from the container");
        assertEquals("new_thingid", f.path("primaryId").asText());
        assertEquals("new_name", f.path("primaryName").asText(), "<prefix>_name is a custom table's primary column");
        assertEquals("None", f.path("ownership").asText());
        assertEquals(10_000, f.path("objectTypeCode").asInt());
        JsonNode a = f.path("attributes");
        assertFalse(a.has("new_thingid"), "the key is the primary id, not an attribute of its own");
        assertEquals("String", a.path("new_name").path("type").asText());
        assertEquals(80, a.path("new_name").path("maxLength").asInt());
        assertEquals(4000, a.path("new_code").path("maxLength").asInt(), "no MaxLength: Dataverse's longest single line");
        assertEquals("Memo", a.path("new_notes").path("type").asText());
        assertEquals("Integer", a.path("new_count").path("type").asText());
        assertEquals("BigInt", a.path("new_big").path("type").asText());
        assertEquals("Decimal", a.path("new_amount").path("type").asText());
        assertEquals(2, a.path("new_amount").path("precision").asInt());
        assertEquals(10, a.path("new_ratio").path("precision").asInt());
        assertEquals("Double", a.path("new_score").path("type").asText());
        assertEquals("Boolean", a.path("new_flag").path("type").asText());
        assertEquals("DateTime", a.path("new_at").path("type").asText());
        assertEquals("DateOnly", a.path("new_day").path("format").asText());
        assertEquals("Uniqueidentifier", a.path("new_ref").path("type").asText());
        assertEquals("Memo", a.path("new_blob").path("type").asText(), "binary as its base64 text");
        assertEquals("State", a.path("statecode").path("type").asText());
        assertEquals("Active", a.path("statecode").path("options").path("0").path("label").asText());
        assertEquals(1, a.path("statuscode").path("options").path("2").path("state").asInt());
    }

    @Test
    void lookupsAndRelationshipsBecomeCatalogRelationships(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String xml = doc(type("new_project", """
                <Property Name="new_name" Type="Edm.String"/>
                <Property Name="_new_accountid_value" Type="Edm.Guid"/>
                <Property Name="createdon" Type="Edm.DateTimeOffset"/>
                <Property Name="_createdby_value" Type="Edm.Guid"/>
                <Property Name="_ownerid_value" Type="Edm.Guid"/>
                <Property Name="_owningbusinessunit_value" Type="Edm.Guid"/>
                <NavigationProperty Name="new_accountid" Type="mscrm.account" Partner="new_account_new_project">
                  <ReferentialConstraint Property="_new_accountid_value" ReferencedProperty="accountid"/>
                </NavigationProperty>
                <NavigationProperty Name="createdby" Type="mscrm.systemuser" Partner="lk_new_project_createdby">
                  <ReferentialConstraint Property="_createdby_value" ReferencedProperty="systemuserid"/>
                </NavigationProperty>
                <NavigationProperty Name="ownerid" Type="mscrm.principal" Partner="owner_new_project">
                  <ReferentialConstraint Property="_ownerid_value" ReferencedProperty="ownerid"/>
                </NavigationProperty>
                <NavigationProperty Name="new_project_new_task" Type="Collection(mscrm.new_task)" Partner="new_projectid"/>
                """) + type("new_task", """
                <Property Name="_new_projectid_value" Type="Edm.Guid"/>
                <Property Name="_new_customerid_value" Type="Edm.Guid"/>
                <Property Name="_organizationid_value" Type="Edm.Guid"/>
                <NavigationProperty Name="new_projectid" Type="mscrm.new_project" Partner="new_project_new_task">
                  <ReferentialConstraint Property="_new_projectid_value" ReferencedProperty="new_projectid"/>
                </NavigationProperty>
                <NavigationProperty Name="new_customerid_account" Type="mscrm.account" Partner="new_task_customer_accounts">
                  <ReferentialConstraint Property="_new_customerid_value" ReferencedProperty="accountid"/>
                </NavigationProperty>
                <NavigationProperty Name="new_customerid_contact" Type="mscrm.contact" Partner="new_task_customer_contacts">
                  <ReferentialConstraint Property="_new_customerid_value" ReferencedProperty="contactid"/>
                </NavigationProperty>
                <NavigationProperty Name="organizationid" Type="mscrm.organization" Partner="organization_new_task">
                  <ReferentialConstraint Property="_organizationid_value" ReferencedProperty="organizationid"/>
                </NavigationProperty>
                """), "new_project", "new_task");
        List<ObjectNode> files = map(xml);
        assertEquals(List.of("new_project", "new_task"), files.stream().map(f -> f.path("logicalName").asText()).toList());
        JsonNode project = files.get(0);
        assertEquals("UserOwned", project.path("ownership").asText(), "_ownerid_value: user-owned, with the owner columns");
        assertEquals("[\"audit\",\"owner\"]", project.path("traits").toString());
        assertFalse(project.path("attributes").has("createdby"), "audit columns come from the trait");
        assertEquals("new_account_new_project", project.path("attributes").path("new_accountid").path("targets").path("account").path("relationship").asText());
        JsonNode task = files.get(1);
        assertEquals("OrganizationOwned", task.path("ownership").asText());
        assertEquals("Customer", task.path("attributes").path("new_customerid").path("type").asText(), "account or contact: a customer lookup");

        // through the loader: the relationships the Web API navigates
        Path file = dir.resolve("m.xml");
        Files.writeString(file, xml);
        MetadataCatalog catalog = new MetadataLoader().load(List.of(), ImportedMetadata.of(file));
        EntityMetadata p = catalog.require("new_project");
        AttributeMetadata lookup = p.attribute("new_accountid").orElseThrow();
        assertEquals(AttributeType.LOOKUP, lookup.type());
        assertEquals("_new_accountid_value", lookup.webApiName());
        OneToManyRelationship tasks = catalog.relationship("new_project_new_task").orElseThrow();
        assertEquals("new_project", tasks.referencedEntity());
        assertEquals("new_task", tasks.referencingEntity());
        assertEquals("new_projectid", tasks.referencingNavigation());
        assertTrue(catalog.relationship("new_account_new_project").isPresent(), "one-to-many on the built-in account");
        AttributeMetadata customer = catalog.require("new_task").attribute("new_customerid").orElseThrow();
        assertTrue(customer.isPolymorphic());
        assertEquals("new_customerid_contact", customer.target("contact").orElseThrow().navigation());
        assertTrue(catalog.require("account").attribute("creditlimit").isPresent(), "built-in tables stay as shipped, not as the document has them");
        assertTrue(catalog.relationship("new_project_AsyncOperations").isPresent(), "asyncoperation's lookup to any table reaches imported ones");
    }

    @Test
    void selectionPullsInTheTablesItsLookupsNeed() {
        String xml = doc(type("new_a", """
                <Property Name="_new_bid_value" Type="Edm.Guid"/>
                <NavigationProperty Name="new_bid" Type="mscrm.new_b" Partner="new_b_new_a">
                  <ReferentialConstraint Property="_new_bid_value" ReferencedProperty="new_bid"/>
                </NavigationProperty>
                """) + type("new_b", "") + type("new_c", ""), "new_a", "new_b", "new_c");
        assertEquals(List.of("new_a", "new_b"), map(xml, "new_a").stream().map(f -> f.path("logicalName").asText()).toList());
        assertEquals(3, map(xml).size(), "no selection: every table");
        assertEquals(List.of(), map(xml, "account"), "a built-in table asked for stays as shipped");
        assertTrue(assertThrows(MetadataException.class, () -> map(xml, "new_zzz")).getMessage().contains("'new_zzz' is not in the document"));
    }

    @Test
    void enumTypesAreChoices() {
        String xml = doc("<EnumType Name=\"new_priority\"><Member Name=\"Low\" Value=\"100000000\"/><Member Name=\"High\" Value=\"100000001\"/></EnumType>"
                + type("new_x", "<Property Name=\"new_priority\" Type=\"mscrm.new_priority\"/>"), "new_x");
        JsonNode a = map(xml).get(0).path("attributes").path("new_priority");
        assertEquals("Picklist", a.path("type").asText());
        assertEquals("High", a.path("options").path("100000001").asText());
    }

    private static String errorOf(String xml) {
        return assertThrows(MetadataException.class, () -> map(xml)).getMessage();
    }

    @Test
    void unsupportedConstructsNameTheTypeAndProperty() {
        String complex = errorOf(doc("<ComplexType Name=\"BooleanManagedProperty\"><Property Name=\"Value\" Type=\"Edm.Boolean\"/></ComplexType>"
                + type("new_x", "<Property Name=\"iscustomizable\" Type=\"mscrm.BooleanManagedProperty\"/>"), "new_x"));
        assertTrue(complex.contains("'new_x'") && complex.contains("iscustomizable") && complex.contains("complex type"), complex);
        String unknownType = errorOf(doc(type("new_x", "<Property Name=\"new_t\" Type=\"Edm.TimeOfDay\"/>"), "new_x"));
        assertTrue(unknownType.contains("new_t") && unknownType.contains("Edm.TimeOfDay"), unknownType);
        String collection = errorOf(doc(type("new_x", "<Property Name=\"new_tags\" Type=\"Collection(Edm.String)\"/>"), "new_x"));
        assertTrue(collection.contains("new_tags") && collection.contains("collection"), collection);
        String composite = errorOf(doc("<EntityType Name=\"new_x\" BaseType=\"mscrm.crmbaseentity\"><Key><PropertyRef Name=\"a\"/><PropertyRef Name=\"b\"/></Key>"
                + "<Property Name=\"a\" Type=\"Edm.Guid\"/><Property Name=\"b\" Type=\"Edm.Guid\"/></EntityType>", "new_x"));
        assertTrue(composite.contains("composite key"), composite);
        String intKey = errorOf(doc("<EntityType Name=\"new_x\"><Key><PropertyRef Name=\"id\"/></Key><Property Name=\"id\" Type=\"Edm.Int32\"/></EntityType>", "new_x"));
        assertTrue(intKey.contains("not Edm.Guid"), intKey);
        String derived = errorOf(doc("<EntityType Name=\"activitypointer\" BaseType=\"mscrm.crmbaseentity\"><Key><PropertyRef Name=\"activityid\"/></Key>"
                + "<Property Name=\"activityid\" Type=\"Edm.Guid\"/></EntityType><EntityType Name=\"new_call\" BaseType=\"mscrm.activitypointer\"/>",
                "activitypointer", "new_call"));
        assertTrue(derived.contains("'new_call'") && derived.contains("derives from mscrm.activitypointer"), derived);
        String orphan = errorOf(doc(type("new_x", "<Property Name=\"_new_yid_value\" Type=\"Edm.Guid\"/>"), "new_x"));
        assertTrue(orphan.contains("_new_yid_value") && orphan.contains("no navigation property"), orphan);
        String noPartner = errorOf(doc(type("new_x", "<Property Name=\"_new_aid_value\" Type=\"Edm.Guid\"/><NavigationProperty Name=\"new_aid\" Type=\"mscrm.account\">"
                + "<ReferentialConstraint Property=\"_new_aid_value\" ReferencedProperty=\"accountid\"/></NavigationProperty>"), "new_x"));
        assertTrue(noPartner.contains("new_aid") && noPartner.contains("Partner"), noPartner);
        String noSet = errorOf(doc(type("new_x", "<Property Name=\"_new_yid_value\" Type=\"Edm.Guid\"/><NavigationProperty Name=\"new_yid\" Type=\"mscrm.new_y\" Partner=\"p\">"
                + "<ReferentialConstraint Property=\"_new_yid_value\" ReferencedProperty=\"new_yid\"/></NavigationProperty>") + type("new_y", ""), "new_x"));
        assertTrue(noSet.contains("'new_y'") && noSet.contains("no entity set") && noSet.contains("new_x.new_yid"), noSet);
    }

    @Test
    void documentsThatAreNotCsdlOrCarryADtdAreRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertTrue(assertThrows(MetadataException.class, () -> parse("<root/>")).getMessage().contains("not a CSDL document"));
        assertTrue(assertThrows(MetadataException.class, () -> parse("<edmx:Edmx")).getMessage().contains("not a readable CSDL document"));
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOPSECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + doc(type("new_x", "<Property Name=\"new_a\" Type=\"Edm.String\"><Annotation Term=\"Org.OData.Core.V1.Description\" String=\"&x;\"/></Property>"), "new_x")
                .replaceFirst("<\\?xml[^>]*\\?>", "");
        // the external entity is never read: either the document is refused or the reference stays unexpanded
        try {
            CsdlDocument d = parse(xxe);
            String description = d.entityTypes().get("Microsoft.Dynamics.CRM.new_x").properties().get(1).description();
            assertTrue(description == null || !description.contains("TOPSECRET"), description);
        } catch (MetadataException refused) {
            assertFalse(refused.getMessage().contains("TOPSECRET"));
        }
        assertNull(parse(doc(type("new_x", ""), "new_x")).entityTypes().get("Microsoft.Dynamics.CRM.new_x").description());
    }
}
