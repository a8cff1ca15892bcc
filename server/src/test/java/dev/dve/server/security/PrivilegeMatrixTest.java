package dev.dve.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each account privilege at each depth, for a tester in the Sales unit: which of four accounts (its own, one of a
 * colleague in Sales, one in the child unit Sales East, one in the root unit) it may create, read, write, append
 * to, assign and delete. Every refusal is a 403 with 0x80040220 and leaves the data as it was.
 */
class PrivilegeMatrixTest extends EmulatorTest {
    private static final String ROOT = "00000000-0000-0000-0000-0000000000b0";
    private static final String SALES = "00000000-0000-0000-0000-0000000000b1";
    private static final List<String> RIGHTS = List.of("Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share");
    private String tester;
    private String salesEast;
    private final Map<String, String> owners = new LinkedHashMap<>();
    private String role;

    private String create(String set, String body) {
        Response r = api.post(set, body, "Prefer", "return=representation");
        assertEquals(201, r.status(), set + ": " + r.body());
        return r.json().path(idField(set)).asText();
    }

    private static String idField(String set) {
        return switch (set) {
            case "businessunits" -> "businessunitid";
            case "systemusers" -> "systemuserid";
            case "roles" -> "roleid";
            case "accounts" -> "accountid";
            case "contacts" -> "contactid";
            default -> throw new IllegalArgumentException(set);
        };
    }

    private String user(String name, String bu, String oid) {
        return create("systemusers", "{\"firstname\":\"" + name + "\",\"lastname\":\"Matrix\",\"domainname\":\"" + name + "@emulator.local\","
                + (oid == null ? "" : "\"azureactivedirectoryobjectid\":\"" + oid + "\",")
                + "\"businessunitid@odata.bind\":\"/businessunits(" + bu + ")\"}");
    }

    private String privilegeId(String name) {
        JsonNode v = api.get("privileges?$select=privilegeid&$filter=name%20eq%20'" + name + "'").json().path("value");
        assertEquals(1, v.size(), name);
        return v.get(0).path("privilegeid").asText();
    }

    private void grant(String privilege, int mask) {
        assertEquals(204, api.post("roleprivilegescollection", "{\"roleid@odata.bind\":\"/roles(" + role + ")\",\"privilegeid@odata.bind\":\"/privileges("
                + privilegeId(privilege) + ")\",\"privilegedepthmask\":" + mask + "}").status());
    }

    @BeforeEach
    void organization() {
        salesEast = create("businessunits", "{\"name\":\"Sales East\",\"parentbusinessunitid@odata.bind\":\"/businessunits(" + SALES + ")\"}");
        tester = user("tester", SALES, "00000000-0000-0000-0000-0000000b0001");
        owners.clear();
        owners.put("own", tester);
        owners.put("sameUnit", user("colleague", SALES, null));
        owners.put("childUnit", user("east", salesEast, null));
        owners.put("parentUnit", user("head", ROOT, null));
        role = create("roles", "{\"name\":\"Matrix\",\"businessunitid@odata.bind\":\"/businessunits(" + SALES + ")\"}");
        assertEquals(204, api.post("systemuserrolescollection", "{\"systemuserid@odata.bind\":\"/systemusers(" + tester + ")\",\"roleid@odata.bind\":\"/roles(" + role + ")\"}").status());
        // what every case needs besides the account privilege under test
        grant("prvCreateContact", 8);
        grant("prvReadContact", 8);
        grant("prvAppendContact", 8);
    }

    private Map<String, String> accounts() {
        Map<String, String> ids = new LinkedHashMap<>();
        owners.forEach((k, owner) -> ids.put(k, create("accounts", "{\"name\":\"" + k + "\",\"accountnumber\":\"MATRIX\",\"ownerid@odata.bind\":\"/systemusers(" + owner + ")\"}")));
        return ids;
    }

    private static Set<String> reach(int mask) {
        return switch (mask) {
            case 1 -> Set.of("own");
            case 2 -> Set.of("own", "sameUnit");
            case 4 -> Set.of("own", "sameUnit", "childUnit");
            default -> Set.of("own", "sameUnit", "childUnit", "parentUnit");
        };
    }

    private void assertDenied(Response r, String what) {
        assertEquals(403, r.status(), what + ": " + r.body());
        assertEquals("0x80040220", r.errorCode(), what);
    }

    private String name(String account) {
        return api.get("accounts(" + account + ")?$select=name").json().path("name").asText();
    }

    @ParameterizedTest(name = "depth mask {0}")
    @ValueSource(ints = {1, 2, 4, 8})
    void everyAccountPrivilegeReachesExactlyItsDepth(int mask) {
        for (String right : RIGHTS) {
            grant("prv" + right + "Account", mask);
        }
        WebApi t = as("tester@emulator.local");
        Set<String> reachable = reach(mask);
        Map<String, String> acc = accounts();

        // Read: single records, and the collection is filtered in SQL
        Set<String> seen = new TreeSet<>();
        for (JsonNode row : t.get("accounts?$select=name&$filter=accountnumber%20eq%20'MATRIX'").json().path("value")) {
            seen.add(row.path("name").asText());
        }
        assertEquals(new TreeSet<>(reachable), seen, "rows a collection read returns");
        assertEquals(reachable.size(), Integer.parseInt(t.get("accounts/$count?$filter=accountnumber%20eq%20'MATRIX'").body().trim()));
        acc.forEach((k, id) -> {
            Response r = t.get("accounts(" + id + ")?$select=name");
            if (reachable.contains(k)) {
                assertEquals(200, r.status(), "read " + k);
            } else {
                assertDenied(r, "read " + k);
                assertTrue(r.errorMessage().contains("AccessRights: ReadAccess"), r.errorMessage());
            }
        });

        // Create, owned by each owner
        owners.forEach((k, owner) -> {
            int before = Integer.parseInt(api.get("accounts/$count").body().trim());
            Response r = t.post("accounts", "{\"name\":\"new-" + k + "\",\"ownerid@odata.bind\":\"/systemusers(" + owner + ")\"}");
            if (reachable.contains(k)) {
                assertEquals(204, r.status(), "create for " + k + ": " + r.body());
            } else {
                assertDenied(r, "create for " + k);
                assertEquals(before, Integer.parseInt(api.get("accounts/$count").body().trim()));
            }
        });

        // AppendTo: a contact of the tester's pointing at each account
        acc.forEach((k, id) -> {
            Response r = t.post("contacts", "{\"lastname\":\"c-" + k + "\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + id + ")\"}");
            if (reachable.contains(k)) {
                assertEquals(204, r.status(), "append to " + k + ": " + r.body());
            } else {
                assertDenied(r, "append to " + k);
            }
        });

        // Write
        acc.forEach((k, id) -> {
            Response r = t.patch("accounts(" + id + ")", "{\"name\":\"written\"}");
            if (reachable.contains(k)) {
                assertEquals(204, r.status(), "write " + k);
                assertEquals("written", name(id));
            } else {
                assertDenied(r, "write " + k);
                assertEquals(k, name(id), "unchanged");
            }
        });

        // Assign to the tester
        acc.forEach((k, id) -> {
            Response r = t.patch("accounts(" + id + ")", "{\"ownerid@odata.bind\":\"/systemusers(" + tester + ")\"}");
            String owner = api.get("accounts(" + id + ")?$select=_ownerid_value").json().path("_ownerid_value").asText();
            if (reachable.contains(k)) {
                assertEquals(204, r.status(), "assign " + k + ": " + r.body());
                assertEquals(tester, owner);
            } else {
                assertDenied(r, "assign " + k);
                assertEquals(owners.get(k), owner, "owner unchanged");
            }
        });

        // Delete (every account now belongs to the tester when reachable)
        Map<String, String> fresh = accounts();
        fresh.forEach((k, id) -> {
            Response r = t.delete("accounts(" + id + ")");
            if (reachable.contains(k)) {
                assertEquals(204, r.status(), "delete " + k);
                assertEquals(404, api.get("accounts(" + id + ")").status());
            } else {
                assertDenied(r, "delete " + k);
                assertEquals(200, api.get("accounts(" + id + ")").status(), "still there");
            }
        });
    }

    @ParameterizedTest(name = "without prv{0}Account")
    @ValueSource(strings = {"Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign"})
    void eachMissingPrivilegeIsRefusedByName(String missing) {
        for (String right : RIGHTS) {
            if (!right.equals(missing)) {
                grant("prv" + right + "Account", 8);
            }
        }
        Map<String, String> acc = accounts();
        String own = acc.get("own");
        String other = acc.get("parentUnit");
        WebApi t = as("tester@emulator.local");
        Response r = switch (missing) {
            case "Create" -> t.post("accounts", "{\"name\":\"x\"}");
            case "Read" -> t.get("accounts(" + own + ")");
            case "Write" -> t.patch("accounts(" + own + ")", "{\"name\":\"x\"}");
            case "Delete" -> t.delete("accounts(" + own + ")");
            case "Append" -> t.patch("accounts(" + own + ")", "{\"parentaccountid@odata.bind\":\"/accounts(" + other + ")\"}");
            case "AppendTo" -> t.post("contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + own + ")\"}");
            case "Assign" -> t.patch("accounts(" + own + ")", "{\"ownerid@odata.bind\":\"/systemusers(" + owners.get("sameUnit") + ")\"}");
            default -> throw new IllegalArgumentException(missing);
        };
        assertDenied(r, "without " + missing);
        assertTrue(r.errorMessage().contains("is missing prv" + missing + "Account privilege"), r.errorMessage());
        assertTrue(r.errorMessage().startsWith("Principal user (Id=" + tester), r.errorMessage());
        assertEquals("own", name(own), "unchanged");
        assertEquals(200, api.get("accounts(" + own + ")").status(), "not deleted");
        assertEquals(tester, api.get("accounts(" + own + ")?$select=_ownerid_value").json().path("_ownerid_value").asText());
        assertTrue(api.get("accounts(" + own + ")?$select=_parentaccountid_value").json().path("_parentaccountid_value").isNull());
        if (missing.equals("Read")) {
            assertDenied(t.get("accounts?$select=name"), "collection read without prvReadAccount");
        }
    }

    /**
     * Share: prvShareAccount at each depth (0: not held), every other account privilege at Global. GrantAccess of the
     * four accounts to the colleague succeeds exactly where the Share depth reaches; a refusal names the missing
     * privilege or the ShareAccess record check, and leaves no share. RetrievePrincipalAccess reports ShareAccess only
     * where it is held.
     */
    @ParameterizedTest(name = "GrantAccess with prvShareAccount at mask {0} (0: none)")
    @ValueSource(ints = {0, 1, 2, 4, 8})
    void shareReachesExactlyItsDepth(int mask) {
        for (String right : RIGHTS) {
            if (!right.equals("Share") || mask > 0) {
                grant("prv" + right + "Account", right.equals("Share") ? mask : 8);
            }
        }
        Set<String> reachable = mask == 0 ? Set.of() : reach(mask);
        Map<String, String> acc = accounts();
        WebApi t = as("tester@emulator.local");
        String colleague = owners.get("sameUnit");
        acc.forEach((k, account) -> {
            String body = "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + account + "\"},"
                    + "\"PrincipalAccess\":{\"Principal\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\",\"systemuserid\":\"" + colleague + "\"},"
                    + "\"AccessMask\":\"ReadAccess\"}}";
            Response r = t.post("GrantAccess", body);
            String target = java.net.URLEncoder.encode("{'@odata.id':'accounts(" + account + ")'}", java.nio.charset.StandardCharsets.UTF_8);
            JsonNode shares = api.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target).expect(200).json().path("PrincipalAccesses");
            String rights = api.get("systemusers(" + tester + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=" + target)
                    .expect(200).json().path("AccessRights").asText();
            if (reachable.contains(k)) {
                assertEquals(204, r.status(), "share " + k + ": " + r.body());
                assertEquals(1, shares.size(), k);
                assertEquals(colleague, shares.get(0).path("Principal").path("ownerid").asText());
                assertEquals("ReadAccess", shares.get(0).path("AccessMask").asText());
                assertTrue(rights.contains("ShareAccess"), rights);
            } else {
                assertDenied(r, "share " + k);
                assertTrue(r.errorMessage().contains(mask == 0 ? "is missing prvShareAccount privilege" : "AccessRights: ShareAccess"), r.errorMessage());
                assertEquals(0, shares.size(), "no share of " + k);
                assertTrue(!rights.contains("ShareAccess") && rights.contains("ReadAccess"), rights);
            }
        });
    }

    @ParameterizedTest(name = "role change takes effect on the next request ({0})")
    @ValueSource(ints = {2})
    void roleChangesApplyToTheNextRequest(int mask) {
        WebApi t = as("tester@emulator.local");
        assertDenied(t.get("accounts?$select=name"), "before the grant");
        grant("prvReadAccount", mask);
        assertEquals(200, t.get("accounts?$select=name").status(), "same token, next request");
        List<String> grants = new ArrayList<>();
        for (JsonNode g : api.get("roleprivilegescollection?$select=roleprivilegeid&$filter=_roleid_value%20eq%20" + role).json().path("value")) {
            grants.add(g.path("roleprivilegeid").asText());
        }
        grants.forEach(g -> assertEquals(204, api.delete("roleprivilegescollection(" + g + ")").status()));
        assertDenied(t.get("accounts?$select=name"), "after the grants are removed");
    }

    @org.junit.jupiter.api.Test
    void teamsGrantRolesAndOwnRecords() {
        String team = api.post("teams", "{\"name\":\"Matrix team\",\"businessunitid@odata.bind\":\"/businessunits(" + SALES + ")\"}",
                "Prefer", "return=representation").json().path("teamid").asText();
        String teamRole = create("roles", "{\"name\":\"Team reader\",\"businessunitid@odata.bind\":\"/businessunits(" + SALES + ")\"}");
        assertEquals(204, api.post("roleprivilegescollection", "{\"roleid@odata.bind\":\"/roles(" + teamRole + ")\",\"privilegeid@odata.bind\":\"/privileges("
                + privilegeId("prvReadAccount") + ")\",\"privilegedepthmask\":1}").status());
        assertEquals(204, api.post("teamrolescollection", "{\"teamid@odata.bind\":\"/teams(" + team + ")\",\"roleid@odata.bind\":\"/roles(" + teamRole + ")\"}").status());
        String teamAccount = create("accounts", "{\"name\":\"team-owned\",\"accountnumber\":\"MATRIX\",\"ownerid@odata.bind\":\"/teams(" + team + ")\"}");
        assertEquals(team, api.get("accounts(" + teamAccount + ")?$select=_owningteam_value").json().path("_owningteam_value").asText());
        assertEquals(SALES, api.get("accounts(" + teamAccount + ")?$select=_owningbusinessunit_value").json().path("_owningbusinessunit_value").asText());
        accounts();

        WebApi t = as("tester@emulator.local");
        assertDenied(t.get("accounts?$select=name"), "not a member yet: no read privilege at all");
        assertEquals(204, api.post("teammemberships", "{\"systemuserid@odata.bind\":\"/systemusers(" + tester + ")\",\"teamid@odata.bind\":\"/teams(" + team + ")\"}").status());
        Set<String> seen = new TreeSet<>();
        for (JsonNode row : t.get("accounts?$select=name&$filter=accountnumber%20eq%20'MATRIX'").json().path("value")) {
            seen.add(row.path("name").asText());
        }
        assertEquals(new TreeSet<>(Set.of("own", "team-owned")), seen, "Basic reaches the member's own and its team's records");
    }
}
