package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An owner is one navigation property, {@code ownerid}, to principal: bound to a user or a team, expanded as the one it
 * is (naming a team by {@code @odata.type}), assigned from one to the other, filtered by {@code _ownerid_value}.
 */
class OwnerPrincipalTest extends EmulatorTest {
    private static final String SALES = "00000000-0000-0000-0000-0000000000b0";
    private static final String ADMIN = "00000000-0000-0000-0000-000000000101";
    private static final String LOOKUP = "Prefer", ANNOTATIONS = "odata.include-annotations=\"*\"";

    private String team(String name) {
        Response r = api.post("teams", "{\"name\":\"" + name + "\",\"businessunitid@odata.bind\":\"/businessunits(" + SALES + ")\"}",
                "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("teamid").asText();
    }

    private String account(String body) {
        Response r = api.post("accounts", body, "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("accountid").asText();
    }

    @Test
    void aTeamOwnsARecordBoundThroughOwnerid() {
        String team = team("Owners");
        String id = account("{\"name\":\"Team owned\",\"ownerid@odata.bind\":\"/teams(" + team + ")\"}");
        JsonNode row = api.get("accounts(" + id + ")?$select=_ownerid_value,_owningteam_value,_owninguser_value", LOOKUP, ANNOTATIONS).json();
        assertEquals(team, row.path("_ownerid_value").asText());
        assertEquals("team", row.path("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText());
        assertEquals("ownerid", row.path("_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").asText());
        assertEquals(team, row.path("_owningteam_value").asText());
        assertTrue(row.path("_owninguser_value").isNull());
        Response old = api.post("accounts", "{\"name\":\"x\",\"ownerid_team@odata.bind\":\"/teams(" + team + ")\"}");
        assertEquals(400, old.status(), "no ownerid_team navigation property: " + old.body());
    }

    @Test
    void expandingOwneridGivesTheUserOrTheTeam() {
        String team = team("Expanders");
        String teamOwned = account("{\"name\":\"Expand team\",\"ownerid@odata.bind\":\"/teams(" + team + ")\"}");
        String userOwned = account("{\"name\":\"Expand user\",\"ownerid@odata.bind\":\"/systemusers(" + ADMIN + ")\"}");
        JsonNode rows = api.get("accounts?$select=name&$filter=startswith(name,'Expand')&$orderby=name&$expand=ownerid($select=fullname)").json().path("value");
        assertEquals(2, rows.size(), rows.toString());
        JsonNode asTeam = rows.get(0).path("ownerid");
        assertEquals(teamOwned, rows.get(0).path("accountid").asText());
        assertEquals("#Microsoft.Dynamics.CRM.team", asTeam.path("@odata.type").asText(), asTeam.toString());
        assertEquals(team, asTeam.path("teamid").asText());
        assertEquals(team, asTeam.path("ownerid").asText(), "principal's own property, as Dataverse answers an expanded owner");
        assertFalse(asTeam.has("name"), "only the selected columns the team has: " + asTeam);
        assertFalse(asTeam.has("fullname"), "a team has no fullname: " + asTeam);
        JsonNode asUser = rows.get(1).path("ownerid");
        assertEquals(userOwned, rows.get(1).path("accountid").asText());
        assertEquals("#Microsoft.Dynamics.CRM.systemuser", asUser.path("@odata.type").asText(), asUser.toString());
        assertEquals(ADMIN, asUser.path("systemuserid").asText());
        assertEquals(ADMIN, asUser.path("ownerid").asText());
        assertEquals("# Emulator Application", asUser.path("fullname").asText());
        Response single = api.get("accounts(" + teamOwned + ")/ownerid");
        assertEquals(200, single.status(), single.body());
        assertEquals(team, single.json().path("teamid").asText());
    }

    @Test
    void assigningMovesOwnershipFromAUserToATeam() {
        String team = team("Assignees");
        String id = account("{\"name\":\"Assigned\",\"ownerid@odata.bind\":\"/systemusers(" + ADMIN + ")\"}");
        assertEquals(204, api.patch("accounts(" + id + ")", "{\"ownerid@odata.bind\":\"/teams(" + team + ")\"}").status());
        JsonNode row = api.get("accounts(" + id + ")?$select=_ownerid_value&$expand=ownerid", LOOKUP, ANNOTATIONS).json();
        assertEquals(team, row.path("_ownerid_value").asText());
        assertEquals("team", row.path("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").asText());
        assertEquals("Assignees", row.path("ownerid").path("name").asText(), row.toString());
        JsonNode byOwner = api.get("accounts?$select=name&$filter=_ownerid_value%20eq%20" + team).json().path("value");
        assertEquals(1, byOwner.size(), byOwner.toString());
        assertEquals("Assigned", byOwner.get(0).path("name").asText());
        assertEquals(204, api.put("accounts(" + id + ")/ownerid/$ref", "{\"@odata.id\":\"systemusers(" + ADMIN + ")\"}").status());
        assertEquals(ADMIN, api.get("accounts(" + id + ")?$select=_ownerid_value").json().path("_ownerid_value").asText());
        Response ownedByTeam = api.get("teams(" + team + ")/owner_accounts?$select=name");
        assertEquals(200, ownedByTeam.status(), ownedByTeam.body());
        assertEquals(0, ownedByTeam.json().path("value").size(), "back with the user: " + ownedByTeam.body());
        Response ownedByAdmin = api.get("systemusers(" + ADMIN + ")/owner_accounts?$select=name&$filter=accountid%20eq%20" + id);
        assertEquals(200, ownedByAdmin.status(), ownedByAdmin.body());
        assertEquals(1, ownedByAdmin.json().path("value").size(), ownedByAdmin.body());
    }
}
