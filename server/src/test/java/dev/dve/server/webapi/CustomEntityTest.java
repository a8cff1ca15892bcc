package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An entity added by a data file (no code) appears in $metadata, gets a table and works like any other. */
class CustomEntityTest extends EmulatorTest {

    @Override
    protected EmulatorConfig config() {
        try {
            Path dir = Files.createTempDirectory("dve-fixtures");
            Files.createDirectories(dir.resolve("entities"));
            Files.writeString(dir.resolve("entities/new_widget.json"), """
                    {"logicalName": "new_widget", "schemaName": "new_Widget", "entitySetName": "new_widgets", "displayName": "Widget",
                     "objectTypeCode": 10001, "ownership": "UserOwned", "primaryId": "new_widgetid", "primaryName": "new_name",
                     "traits": ["audit", "owner"],
                     "attributes": {
                       "new_name": {"type": "String", "maxLength": 50},
                       "new_size": {"type": "Picklist", "options": {"1": "Small", "2": "Large"}},
                       "new_weight": {"type": "Decimal", "precision": 2, "min": 0},
                       "new_accountid": {"type": "Lookup", "targets": {"account": "new_account_new_widget"}}
                     }}
                    """);
            Files.writeString(dir.resolve("a-default.json"), "{\"entitySet\":\"organizations\",\"records\":[{\"organizationid\":\"00000000-0000-0000-0000-00000000000a\",\"name\":\"custom\"}]}");
            Files.writeString(dir.resolve("b-bu.json"), "{\"entitySet\":\"businessunits\",\"records\":[{\"businessunitid\":\"00000000-0000-0000-0000-0000000000b0\",\"name\":\"root\"}]}");
            Files.writeString(dir.resolve("c-users.json"), "{\"entitySet\":\"systemusers\",\"records\":["
                    + "{\"systemuserid\":\"00000000-0000-0000-0000-000000000100\",\"lastname\":\"SYSTEM\",\"businessunitid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-0000000000b0)\"},"
                    + "{\"systemuserid\":\"00000000-0000-0000-0000-000000000101\",\"lastname\":\"App\",\"applicationid\":\"00000000-0000-0000-0000-0000000000a1\","
                    + "\"businessunitid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-0000000000b0)\"}]}");
            Files.writeString(dir.resolve("c2-roles.json"), "{\"entitySet\":\"roles\",\"records\":[{\"roleid\":\"00000000-0000-0000-0000-0000000000e0\","
                    + "\"name\":\"System Administrator\",\"businessunitid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-0000000000b0)\"}]}");
            Files.writeString(dir.resolve("c3-grants.json"), "{\"rolePrivileges\":[{\"roleid\":\"00000000-0000-0000-0000-0000000000e0\","
                    + "\"grants\":[{\"privileges\":\"*\",\"depth\":\"Global\"}]}]}");
            Files.writeString(dir.resolve("c4-userroles.json"), "{\"entitySet\":\"systemuserrolescollection\",\"records\":[{"
                    + "\"systemuserid@odata.bind\":\"/systemusers(00000000-0000-0000-0000-000000000101)\","
                    + "\"roleid@odata.bind\":\"/roles(00000000-0000-0000-0000-0000000000e0)\"}]}");
            Files.writeString(dir.resolve("d-accounts.json"), "{\"entitySet\":\"accounts\",\"records\":[{\"accountid\":\"00000000-0000-0000-0000-00000000ac01\",\"name\":\"Only\"}]}");
            Files.writeString(dir.resolve("e-widgets.json"), "{\"entitySet\":\"new_widgets\",\"records\":[{\"new_name\":\"Seed\",\"new_size\":1,"
                    + "\"new_accountid@odata.bind\":\"/accounts(00000000-0000-0000-0000-00000000ac01)\"}]}");
            return super.config().withFixtures(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void customEntityIsServed() {
        String csdl = api.get("$metadata").body();
        assertTrue(csdl.contains("EntitySet Name=\"new_widgets\""), "entity set");
        assertTrue(csdl.contains("Name=\"_new_accountid_value\""), "lookup value property");
        assertTrue(csdl.contains("Name=\"new_account_new_widget\""), "collection navigation on account");

        JsonNode seed = api.get("new_widgets?$select=new_name,new_size,_new_accountid_value").json().path("value");
        assertEquals(1, seed.size(), "fixture rows from the fixtures directory");
        assertEquals("00000000-0000-0000-0000-00000000ac01", seed.get(0).path("_new_accountid_value").asText());

        Response created = api.post("new_widgets", "{\"new_name\":\"Gear\",\"new_size\":2,\"new_weight\":1.255}", "Prefer", "return=representation");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().contains("\"new_weight\":1.26"), "rounded to the precision: " + created.body());
        assertEquals(400, api.post("new_widgets", "{\"new_size\":3}").status());
        assertEquals(2, api.get("new_widgets?$count=true&$filter=new_size%20ge%201").json().path("@odata.count").asInt());
        JsonNode related = api.get("accounts(00000000-0000-0000-0000-00000000ac01)/new_account_new_widget?$select=new_name").json().path("value");
        assertEquals("Seed", related.get(0).path("new_name").asText());
        assertEquals("Only", api.get("accounts?$select=name").json().path("value").get(0).path("name").asText(), "only the custom fixtures");
        assertEquals(200, api.get("privileges?$filter=name%20eq%20'prvCreatenew_Widget'").status());
        assertEquals(1, api.get("privileges?$filter=name%20eq%20'prvCreatenew_Widget'").json().path("value").size(),
                "the platform defines privileges for a new entity");
    }
}
