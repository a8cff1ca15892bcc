package dev.dve.server.webapi;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hierarchy functions over long chains and loops: Under, UnderOrEqual, NotUnder, Above, AboveOrEqual and their
 * FetchXML operators walk the entity's parent lookup in one recursive subquery of the query itself, at most 100
 * levels (Dataverse's MaxHierarchyDepth), ending on a loop, and passing only rows the caller may read.
 */
class HierarchyFunctionTest extends EmulatorTest {
    private static final String F = "Microsoft.Dynamics.CRM.";

    /** A chain of accounts named {@code prefix-000} (the top) … {@code prefix-<n-1>}, each the parent of the next; their ids. */
    private List<String> chain(WebApi client, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String parent = i == 0 ? "" : ",\"parentaccountid@odata.bind\":\"/accounts(" + ids.get(i - 1) + ")\"";
            Response r = client.post("accounts", "{\"name\":\"" + String.format("%s-%03d", prefix, i) + "\",\"telephone1\":\"" + prefix + "\"" + parent + "}",
                    "Prefer", "return=representation");
            assertEquals(201, r.status(), r.body());
            ids.add(r.json().path("accountid").asText());
        }
        return ids;
    }

    private static List<String> names(WebApi client, String prefix, String function, String id) {
        Response r = client.get("accounts?$select=name&$orderby=name&$filter=telephone1%20eq%20'" + prefix + "'%20and%20"
                + F + function + "(PropertyName='accountid',PropertyValue='" + id + "')");
        assertEquals(200, r.status(), function + ": " + r.body());
        return r.json().findValuesAsText("name");
    }

    private static List<String> fetchNames(WebApi client, String prefix, String operator, String id) {
        String xml = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter>"
                + "<condition attribute='telephone1' operator='eq' value='" + prefix + "'/>"
                + "<condition attribute='accountid' operator='" + operator + "' value='" + id + "'/></filter></entity></fetch>";
        Response r = client.get("accounts?fetchXml=" + URLEncoder.encode(xml, StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, r.status(), operator + ": " + r.body());
        return r.json().findValuesAsText("name");
    }

    private static List<String> range(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(String.format("%s-%03d", prefix, i));
        }
        return out;
    }

    @Test
    void aThirtyLevelChain() {
        List<String> ids = chain(api, "deep", 31);
        assertEquals(range("deep", 1, 31), names(api, "deep", "Under", ids.get(0)), "all thirty levels below the top");
        assertEquals(range("deep", 1, 31), fetchNames(api, "deep", "under", ids.get(0)));
        assertEquals(range("deep", 10, 31), names(api, "deep", "UnderOrEqual", ids.get(10)));
        assertEquals(range("deep", 10, 31), fetchNames(api, "deep", "eq-or-under", ids.get(10)));
        assertEquals(range("deep", 0, 11), names(api, "deep", "NotUnder", ids.get(10)), "the row itself is not under itself");
        assertEquals(range("deep", 0, 11), fetchNames(api, "deep", "not-under", ids.get(10)));
        assertEquals(range("deep", 0, 30), names(api, "deep", "Above", ids.get(30)), "all thirty levels above the bottom");
        assertEquals(range("deep", 0, 30), fetchNames(api, "deep", "above", ids.get(30)));
        assertEquals(range("deep", 0, 21), names(api, "deep", "AboveOrEqual", ids.get(20)));
        assertEquals(range("deep", 0, 21), fetchNames(api, "deep", "eq-or-above", ids.get(20)));
        assertEquals(List.of(), names(api, "deep", "Under", ids.get(30)), "nothing below the bottom");
        assertEquals(List.of(), names(api, "deep", "Above", ids.get(0)), "nothing above the top");
    }

    @Test
    void theWalkStopsAtOneHundredLevels() {
        List<String> ids = chain(api, "long", 103);
        assertEquals(range("long", 1, 101), names(api, "long", "Under", ids.get(0)), "levels 1 … 100 below the top");
        assertEquals(range("long", 2, 102), names(api, "long", "Above", ids.get(102)), "100 levels up from the bottom");
    }

    @Test
    void aLoopEndsTheWalk() {
        // a → b → c → a (and d under c): every row of the loop is under (and above) every other, the start included
        List<String> ids = chain(api, "loop", 3);
        api.patch("accounts(" + ids.get(0) + ")", "{\"parentaccountid@odata.bind\":\"/accounts(" + ids.get(2) + ")\"}").expect(204);
        String d = api.post("accounts", "{\"name\":\"loop-d\",\"telephone1\":\"loop\",\"parentaccountid@odata.bind\":\"/accounts(" + ids.get(2) + ")\"}",
                "Prefer", "return=representation").json().path("accountid").asText();
        assertEquals(List.of("loop-000", "loop-001", "loop-002", "loop-d"), names(api, "loop", "Under", ids.get(0)));
        assertEquals(List.of("loop-000", "loop-001", "loop-002", "loop-d"), fetchNames(api, "loop", "eq-or-under", ids.get(1)));
        assertEquals(List.of("loop-000", "loop-001", "loop-002"), names(api, "loop", "Above", ids.get(1)));
        assertEquals(List.of("loop-000", "loop-001", "loop-002"), names(api, "loop", "Above", d));
        assertEquals(List.of(), names(api, "loop", "NotUnder", ids.get(2)), "every row of the loop and below it is under it");
        // a self-parented row is under and above itself
        api.patch("accounts(" + d + ")", "{\"parentaccountid@odata.bind\":\"/accounts(" + d + ")\"}").expect(204);
        assertEquals(List.of("loop-d"), names(api, "loop", "Under", d));
        assertEquals(List.of("loop-d"), names(api, "loop", "Above", d));
    }

    @Test
    void theWalkPassesOnlyRowsTheCallerMayRead() {
        // the basic user owns top, middle and bottom; the administrator takes over middle: the basic user no longer
        // reads it, so their walk from top ends there and bottom is not under top for them
        WebApi basic = as("basic@emulator.local");
        List<String> ids = chain(basic, "mine", 3);
        String admin = api.get("systemusers?$select=systemuserid&$filter=domainname%20eq%20'admin@emulator.local'")
                .json().path("value").get(0).path("systemuserid").asText();
        api.patch("accounts(" + ids.get(1) + ")", "{\"ownerid@odata.bind\":\"/systemusers(" + admin + ")\"}").expect(204);
        assertEquals(List.of("mine-001", "mine-002"), names(api, "mine", "Under", ids.get(0)), "the administrator reads the whole chain");
        assertEquals(List.of(), names(basic, "mine", "Under", ids.get(0)));
        assertEquals(List.of(), names(basic, "mine", "Above", ids.get(2)));
        assertEquals(List.of("mine-000", "mine-002"), names(basic, "mine", "NotUnder", ids.get(0)));
    }

    @Test
    void equalUserOrUserHierarchyFollowsTheManagers() {
        // Avery (admin) manages Riley (runner), who manages Bailey (basic); Morgan (maker) is outside
        String admin = "00000000-0000-0000-0000-000000000102";
        String maker = "00000000-0000-0000-0000-000000000103";
        String runner = "00000000-0000-0000-0000-000000000104";
        String basic = "00000000-0000-0000-0000-000000000105";
        api.patch("systemusers(" + runner + ")", "{\"parentsystemuserid@odata.bind\":\"/systemusers(" + admin + ")\"}").expect(204);
        api.patch("systemusers(" + basic + ")", "{\"parentsystemuserid@odata.bind\":\"/systemusers(" + runner + ")\"}").expect(204);
        for (String[] owner : new String[][]{{"admin", admin}, {"maker", maker}, {"runner", runner}, {"basic", basic}}) {
            api.post("accounts", "{\"name\":\"owned by " + owner[0] + "\",\"telephone1\":\"managed\",\"ownerid@odata.bind\":\"/systemusers(" + owner[1] + ")\"}")
                    .expect(204);
        }
        WebApi avery = as("admin@emulator.local");
        String filter = "accounts?$select=name&$orderby=name&$filter=telephone1%20eq%20'managed'%20and%20" + F;
        assertEquals(List.of("owned by admin", "owned by basic", "owned by runner"),
                avery.get(filter + "EqualUserOrUserHierarchy(PropertyName='ownerid')").json().findValuesAsText("name"));
        String xml = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter>"
                + "<condition attribute='telephone1' operator='eq' value='managed'/><condition attribute='ownerid' operator='eq-useroruserhierarchy'/>"
                + "</filter></entity></fetch>";
        assertEquals(List.of("owned by admin", "owned by basic", "owned by runner"), avery.get("accounts?fetchXml="
                + URLEncoder.encode(xml, StandardCharsets.UTF_8).replace("+", "%20")).json().findValuesAsText("name"));
        assertEquals(List.of("owned by runner"), as("runner@emulator.local").get(filter + "EqualUserOrUserHierarchy(PropertyName='ownerid')")
                .json().findValuesAsText("name"), "Riley's own row; Bailey's is under Riley but Riley reads only their own accounts");
    }
}
