package dev.dve.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Record sharing through the Web API: GrantAccess, ModifyAccess, RevokeAccess, RetrieveSharedPrincipalsAndAccess and
 * RetrievePrincipalAccess, and what a share lets a user whose privilege depth does not reach the record do — read it
 * (single retrieve, {@code $filter}, FetchXML, {@code $count}, {@code $expand}), and write, delete or share it when the
 * share holds that right. The tester works in Sales; the colleague in Sales, the head in the root unit.
 */
class SharingTest extends EmulatorTest {
    private static final String ROOT = "00000000-0000-0000-0000-0000000000b0";
    private static final String SALES = "00000000-0000-0000-0000-0000000000b1";
    private String tester;
    private String colleague;
    private String head;
    private String mate;
    private String role;

    private String create(String set, String idField, String body) {
        Response r = api.post(set, body, "Prefer", "return=representation");
        assertEquals(201, r.status(), set + ": " + r.body());
        return r.json().path(idField).asText();
    }

    private String user(String name, String bu, String oid) {
        return create("systemusers", "systemuserid", "{\"firstname\":\"" + name + "\",\"lastname\":\"Share\",\"domainname\":\"" + name
                + "@emulator.local\",\"azureactivedirectoryobjectid\":\"" + oid + "\",\"businessunitid@odata.bind\":\"/businessunits(" + bu + ")\"}");
    }

    private String newRole(String name) {
        return create("roles", "roleid", "{\"name\":\"" + name + "\",\"businessunitid@odata.bind\":\"/businessunits(" + SALES + ")\"}");
    }

    private void assignRole(String user, String roleId) {
        assertEquals(204, api.post("systemuserrolescollection", "{\"systemuserid@odata.bind\":\"/systemusers(" + user
                + ")\",\"roleid@odata.bind\":\"/roles(" + roleId + ")\"}").status());
    }

    private String privilegeId(String name) {
        JsonNode v = api.get("privileges?$select=privilegeid&$filter=name%20eq%20'" + name + "'").json().path("value");
        assertEquals(1, v.size(), name);
        return v.get(0).path("privilegeid").asText();
    }

    private void grant(String roleId, String privilege, int mask) {
        assertEquals(204, api.post("roleprivilegescollection", "{\"roleid@odata.bind\":\"/roles(" + roleId + ")\",\"privilegeid@odata.bind\":\"/privileges("
                + privilegeId(privilege) + ")\",\"privilegedepthmask\":" + mask + "}").status());
    }

    /** The tester's role gets each account privilege at the depth given (0: not at all). */
    private void accountPrivileges(Map<String, Integer> masks) {
        masks.forEach((right, mask) -> {
            if (mask > 0) {
                grant(role, "prv" + right + "Account", mask);
            }
        });
    }

    @BeforeEach
    void organization() {
        tester = user("tester", SALES, "00000000-0000-0000-0000-00000005a001");
        colleague = user("colleague", SALES, "00000000-0000-0000-0000-00000005a002");
        head = user("head", ROOT, "00000000-0000-0000-0000-00000005a003");
        mate = user("mate", SALES, "00000000-0000-0000-0000-00000005a004");
        role = newRole("Sharing");
        assignRole(tester, role);
        grant(role, "prvReadContact", 1);
        grant(role, "prvCreateContact", 1);
        grant(role, "prvAppendContact", 1);
        String mateRole = newRole("Mate");
        assignRole(mate, mateRole);
        grant(mateRole, "prvReadAccount", 1);
        grant(mateRole, "prvWriteAccount", 1);
    }

    private String account(String name, String owner) {
        return create("accounts", "accountid", "{\"name\":\"" + name + "\",\"accountnumber\":\"SHARE\",\"ownerid@odata.bind\":\"/systemusers(" + owner + ")\"}");
    }

    private static String body(String account, String principalType, String principal, String mask) {
        return "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + account + "\"},"
                + "\"PrincipalAccess\":{\"Principal\":{\"@odata.type\":\"Microsoft.Dynamics.CRM." + principalType + "\",\"" + principalType
                + "id\":\"" + principal + "\"},\"AccessMask\":\"" + mask + "\"}}";
    }

    private static Response grantAccess(WebApi caller, String account, String principalType, String principal, String mask) {
        return caller.post("GrantAccess", body(account, principalType, principal, mask));
    }

    private void share(String account, String user, String mask) {
        Response r = grantAccess(api, account, "systemuser", user, mask);
        assertEquals(204, r.status(), r.body());
    }

    private static String target(String account) {
        return URLEncoder.encode("{'@odata.id':'accounts(" + account + ")'}", StandardCharsets.UTF_8);
    }

    /** RetrieveSharedPrincipalsAndAccess as the admin: principal id → access mask. */
    private Map<String, String> shares(String account) {
        Response r = api.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target(account));
        assertEquals(200, r.status(), r.body());
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode pa : r.json().path("PrincipalAccesses")) {
            out.put(pa.path("Principal").path("ownerid").asText(), pa.path("AccessMask").asText());
        }
        return out;
    }

    private String principalAccess(WebApi caller, String set, String principal, String account) {
        Response r = caller.get(set + "(" + principal + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=" + target(account));
        assertEquals(200, r.status(), r.body());
        return r.json().path("AccessRights").asText();
    }

    private static void assertDenied(Response r, String what) {
        assertEquals(403, r.status(), what + ": " + r.body());
        assertEquals("0x80040220", r.errorCode(), what);
    }

    private static Set<String> names(Response r) {
        assertEquals(200, r.status(), r.body());
        Set<String> out = new TreeSet<>();
        r.json().path("value").forEach(v -> out.add(v.path("name").asText()));
        return out;
    }

    private static Set<String> visible(WebApi t) {
        return names(t.get("accounts?$select=name&$filter=accountnumber%20eq%20'SHARE'"));
    }

    private static Set<String> visibleByFetchXml(WebApi t) {
        return names(t.get("accounts?fetchXml=" + URLEncoder.encode("<fetch><entity name='account'><attribute name='name'/><filter>"
                + "<condition attribute='accountnumber' operator='eq' value='SHARE'/></filter></entity></fetch>", StandardCharsets.UTF_8).replace("+", "%20")));
    }

    private static int count(WebApi t) {
        Response r = t.get("accounts/$count?$filter=accountnumber%20eq%20'SHARE'");
        assertEquals(200, r.status(), r.body());
        return Integer.parseInt(r.body().trim());
    }

    @Test
    void aBasicReaderFindsAColleaguesAccountOnlyOnceItIsShared() {
        accountPrivileges(Map.of("Read", 1, "Write", 1, "Delete", 1, "AppendTo", 1));
        String own = account("own", tester);
        String theirs = account("theirs", colleague);
        String contact = create("contacts", "contactid", "{\"lastname\":\"linked\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + theirs
                + ")\",\"ownerid@odata.bind\":\"/systemusers(" + tester + ")\"}");
        WebApi t = as("tester@emulator.local");
        String expand = "contacts(" + contact + ")?$select=lastname&$expand=parentcustomerid_account($select=name)";

        assertDenied(t.get("accounts(" + theirs + ")?$select=name"), "read before the share");
        assertEquals(Set.of("own"), visible(t));
        assertEquals(Set.of("own"), visibleByFetchXml(t));
        assertEquals(1, count(t));
        assertTrue(t.get(expand).expect(200).json().path("parentcustomerid_account").isNull(), "not expanded before the share");
        assertEquals("None", principalAccess(api, "systemusers", tester, theirs));

        share(theirs, tester, "ReadAccess");

        assertEquals("theirs", t.get("accounts(" + theirs + ")?$select=name").expect(200).json().path("name").asText());
        assertEquals(Set.of("own", "theirs"), visible(t));
        assertEquals(Set.of("own", "theirs"), visibleByFetchXml(t));
        assertEquals(2, count(t));
        assertEquals("theirs", t.get(expand).expect(200).json().path("parentcustomerid_account").path("name").asText());
        assertEquals(Map.of(tester, "ReadAccess"), shares(theirs));
        assertEquals("ReadAccess", principalAccess(api, "systemusers", tester, theirs));
        assertEquals("ReadAccess, WriteAccess, AppendToAccess, DeleteAccess", principalAccess(api, "systemusers", tester, own));

        // a Read share does not let them write, delete or link to it
        assertDenied(t.patch("accounts(" + theirs + ")", "{\"name\":\"written\"}"), "write with a read share");
        assertDenied(t.delete("accounts(" + theirs + ")"), "delete with a read share");
        assertDenied(t.post("contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + theirs + ")\"}"), "append to");
        assertEquals("theirs", api.get("accounts(" + theirs + ")?$select=name").json().path("name").asText());
        // another user of the unit sees nothing of it
        assertDenied(as("mate@emulator.local").get("accounts(" + theirs + ")?$select=name"), "not shared with the mate");
    }

    @Test
    void aWriteShareLetsThemPatchButNotDeleteAndModifyReplacesTheRights() {
        accountPrivileges(Map.of("Read", 1, "Write", 1, "Delete", 1));
        String theirs = account("theirs", colleague);
        WebApi t = as("tester@emulator.local");
        share(theirs, tester, "ReadAccess, WriteAccess");
        assertEquals(204, t.patch("accounts(" + theirs + ")", "{\"name\":\"written\"}").status());
        assertEquals("written", api.get("accounts(" + theirs + ")?$select=name").json().path("name").asText());
        assertDenied(t.delete("accounts(" + theirs + ")"), "delete with a read-write share");
        assertEquals(200, api.get("accounts(" + theirs + ")").status());
        assertEquals("ReadAccess, WriteAccess", principalAccess(api, "systemusers", tester, theirs));

        // granting adds; modifying replaces
        share(theirs, tester, "DeleteAccess");
        assertEquals(Map.of(tester, "ReadAccess, WriteAccess, DeleteAccess"), shares(theirs));
        assertEquals(204, api.post("ModifyAccess", body(theirs, "systemuser", tester, "ReadAccess")).status());
        assertEquals(Map.of(tester, "ReadAccess"), shares(theirs));
        assertDenied(t.patch("accounts(" + theirs + ")", "{\"name\":\"again\"}"), "write after ModifyAccess took it away");
        assertEquals(200, t.get("accounts(" + theirs + ")").status());
    }

    @Test
    void aShareNeedsThePrivilegeAtSomeDepth() {
        accountPrivileges(Map.of("Write", 1));
        String theirs = account("theirs", colleague);
        share(theirs, tester, "ReadAccess, WriteAccess");
        WebApi t = as("tester@emulator.local");
        Response read = t.get("accounts(" + theirs + ")");
        assertDenied(read, "shared for reading, but no prvReadAccount at all");
        assertTrue(read.errorMessage().contains("is missing prvReadAccount privilege"), read.errorMessage());
        assertEquals(204, t.patch("accounts(" + theirs + ")", "{\"name\":\"written\"}").status(), "Write is held at Basic: the share reaches");
        assertEquals("WriteAccess", principalAccess(api, "systemusers", tester, theirs));
    }

    @Test
    void aShareWithATeamReachesItsMembers() {
        accountPrivileges(Map.of("Read", 1));
        String team = create("teams", "teamid", "{\"name\":\"Sharing team\",\"businessunitid@odata.bind\":\"/businessunits(" + SALES + ")\"}");
        String theirs = account("theirs", head);
        WebApi t = as("tester@emulator.local");
        assertEquals(204, grantAccess(api, theirs, "team", team, "ReadAccess").status());
        assertDenied(t.get("accounts(" + theirs + ")"), "not a member yet");
        assertEquals(Set.of(), visible(t));

        assertEquals(204, api.post("teammemberships", "{\"systemuserid@odata.bind\":\"/systemusers(" + tester + ")\",\"teamid@odata.bind\":\"/teams(" + team + ")\"}").status());
        assertEquals(200, t.get("accounts(" + theirs + ")").status());
        assertEquals(Set.of("theirs"), visible(t));
        assertEquals(Set.of("theirs"), visibleByFetchXml(t));
        assertEquals(1, count(t));
        assertEquals("ReadAccess", principalAccess(api, "systemusers", tester, theirs), "through the team");
        assertEquals("None", principalAccess(api, "teams", team, theirs), "the team holds no role: no privilege to use the share with");
        assertEquals(Map.of(team, "ReadAccess"), shares(theirs));
        assertEquals("#Microsoft.Dynamics.CRM.team", api.get("RetrieveSharedPrincipalsAndAccess(Target=@t)?@t=" + target(theirs)).json()
                .path("PrincipalAccesses").get(0).path("Principal").path("@odata.type").asText());

        // revoking the team's share takes it from every member
        assertEquals(204, api.post("RevokeAccess", "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + theirs
                + "\"},\"Revokee\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.team\",\"teamid\":\"" + team + "\"}}").status());
        assertDenied(t.get("accounts(" + theirs + ")"), "after RevokeAccess");
        assertEquals(Set.of(), visible(t));
        assertEquals(Map.of(), shares(theirs));
    }

    @Test
    void revokeAccessRemovesAUsersShare() {
        accountPrivileges(Map.of("Read", 1));
        String theirs = account("theirs", colleague);
        share(theirs, tester, "ReadAccess");
        WebApi t = as("tester@emulator.local");
        assertEquals(200, t.get("accounts(" + theirs + ")").status());
        String revoke = "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"accountid\":\"" + theirs
                + "\"},\"Revokee\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\",\"systemuserid\":\"" + tester + "\"}}";
        assertEquals(204, api.post("RevokeAccess", revoke).status());
        assertDenied(t.get("accounts(" + theirs + ")"), "after RevokeAccess");
        assertEquals(0, count(t));
        assertEquals(204, api.post("RevokeAccess", revoke).status(), "nothing left to revoke is not an error");
    }

    @Test
    void aUserCannotGrantRightsTheyLack() {
        accountPrivileges(Map.of("Read", 8, "Share", 8, "Write", 1));
        String theirs = account("theirs", colleague);
        WebApi t = as("tester@emulator.local");
        Response r = grantAccess(t, theirs, "systemuser", mate, "ReadAccess, WriteAccess");
        assertDenied(r, "granting Write the tester does not hold on the colleague's account");
        assertTrue(r.errorMessage().contains("AccessRights: WriteAccess"), r.errorMessage());
        Response delete = grantAccess(t, theirs, "systemuser", mate, "DeleteAccess");
        assertDenied(delete, "granting Delete without prvDeleteAccount");
        assertTrue(delete.errorMessage().contains("is missing prvDeleteAccount privilege"), delete.errorMessage());
        assertEquals(Map.of(), shares(theirs));
        assertEquals(204, grantAccess(t, theirs, "systemuser", mate, "ReadAccess").status(), "Read it holds");
        assertEquals(Map.of(mate, "ReadAccess"), shares(theirs));

        // a share holding Write (and Share) lets the tester pass Write on
        share(theirs, tester, "WriteAccess");
        assertEquals(204, grantAccess(t, theirs, "systemuser", mate, "WriteAccess").status(), r.body());
        assertEquals(Map.of(mate, "ReadAccess, WriteAccess", tester, "WriteAccess"), shares(theirs));
    }

    @Test
    void deletingARecordRemovesItsSharesAndAssigningKeepsThem() {
        accountPrivileges(Map.of("Read", 1));
        String theirs = account("theirs", colleague);
        String other = account("other", colleague);
        share(theirs, tester, "ReadAccess");
        share(other, tester, "ReadAccess");
        assertEquals(1, api.get("principalobjectaccessset?$filter=objectid%20eq%20" + theirs).expect(200).json().path("value").size());

        assertEquals(204, api.patch("accounts(" + other + ")", "{\"ownerid@odata.bind\":\"/systemusers(" + head + ")\"}").status());
        assertEquals(Map.of(tester, "ReadAccess"), shares(other), "assign keeps the shares");
        assertEquals(200, as("tester@emulator.local").get("accounts(" + other + ")").status());

        assertEquals(204, api.delete("accounts(" + theirs + ")").status());
        assertEquals(0, api.get("principalobjectaccessset?$filter=objectid%20eq%20" + theirs).expect(200).json().path("value").size());
        assertEquals(1, api.get("principalobjectaccessset?$filter=objectid%20eq%20" + other).expect(200).json().path("value").size());
        // the table is the platform's: clients cannot write it
        assertEquals(400, api.post("principalobjectaccessset", "{\"accessrightsmask\":1}").status());
    }

    @Test
    void badRequestsAreRefusedAsDataverseDoes() {
        String theirs = account("theirs", colleague);
        Response mask = grantAccess(api, theirs, "systemuser", tester, "ReadAccess, Bogus");
        assertEquals(400, mask.status(), mask.body());
        assertTrue(mask.errorMessage().contains("'ReadAccess, Bogus'"), mask.errorMessage());
        Response missingTarget = grantAccess(api, "00000000-0000-0000-0000-00000000dead", "systemuser", tester, "ReadAccess");
        assertEquals(404, missingTarget.status(), missingTarget.body());
        assertEquals("0x80040217", missingTarget.errorCode());
        Response missingPrincipal = grantAccess(api, theirs, "systemuser", "00000000-0000-0000-0000-00000000beef", "ReadAccess");
        assertEquals(404, missingPrincipal.status(), missingPrincipal.body());
        assertEquals("0x80040217", missingPrincipal.errorCode());
        Response noTarget = api.post("GrantAccess", "{\"PrincipalAccess\":{\"AccessMask\":\"ReadAccess\"}}");
        assertEquals(400, noTarget.status(), noTarget.body());
        Response notAPrincipal = grantAccess(api, theirs, "account", theirs, "ReadAccess");
        assertEquals(400, notAPrincipal.status(), notAPrincipal.body());
        Response notShareable = api.post("GrantAccess", "{\"Target\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.businessunit\",\"businessunitid\":\""
                + SALES + "\"},\"PrincipalAccess\":{\"Principal\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\",\"systemuserid\":\""
                + tester + "\"},\"AccessMask\":\"ReadAccess\"}}");
        assertEquals(400, notShareable.status(), notShareable.body());
        Response unknownRecord = api.get("systemusers(" + tester + ")/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t="
                + target("00000000-0000-0000-0000-00000000dead"));
        assertEquals(404, unknownRecord.status(), unknownRecord.body());
        List<String> none = new ArrayList<>(shares(theirs).keySet());
        assertEquals(List.of(), none, "nothing was shared");
    }
}
