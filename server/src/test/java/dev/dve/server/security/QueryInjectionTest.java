package dev.dve.server.security;

import dev.dve.server.testing.DataSnapshot;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The review's critical finding: FetchXML aliases reached SQL, so a basic user could probe rows it cannot read and,
 * with stacked statements, edit an administrator's account and grant itself System Administrator. Aliases are now
 * validated as Dataverse validates them and never reach SQL; the link-entity count and FetchXML's schema are enforced.
 */
class QueryInjectionTest extends EmulatorTest {
    private static final String BASIC_USER = "00000000-0000-0000-0000-000000000105";
    private static final String SYSTEM_ADMINISTRATOR_ROLE = "00000000-0000-0000-0000-0000000000e0";

    private static Response fetch(WebApi who, String set, String xml) {
        return who.get(set + "?fetchXml=" + URLEncoder.encode(xml, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static void assertQueryRefused(Response r, String code) {
        assertEquals(400, r.status(), r.body());
        assertEquals(code, r.errorCode(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
    }

    private int basicUserRoles() {
        return api.get("systemuserrolescollection?$filter=_systemuserid_value%20eq%20" + BASIC_USER).json().path("value").size();
    }

    @Test
    void aQuoteInAnyAliasIsAQueryErrorNotA500() {
        WebApi basic = as("basic@emulator.local");
        List<String> queries = List.of(
                "<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='n\"x'/></entity></fetch>",
                "<fetch aggregate='true'><entity name='account'><attribute name='createdon' groupby='true' dategrouping='year' alias='y\"x'/>"
                        + "<attribute name='accountid' aggregate='count' alias='n'/></entity></fetch>",
                "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' alias='c\"x'>"
                        + "<attribute name='fullname'/></link-entity></entity></fetch>",
                "<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='n'/><order alias='n`x'/></entity></fetch>",
                "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' alias='c x'/></entity></fetch>",
                "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' alias='1c'/></entity></fetch>");
        for (String q : queries) {
            Response r = fetch(basic, "accounts", q);
            assertQueryRefused(r, "0x80060888");
            assertTrue(r.errorMessage().contains("alias"), r.errorMessage());
        }
    }

    @Test
    void stackedStatementsInAliasesChangeNothing() {
        DataSnapshot before = DataSnapshot.take(api);
        int roles = basicUserRoles();
        WebApi basic = as("basic@emulator.local");
        String update = "UPDATE \"accountbase\" SET \"name\" = 'pwned'";
        String grant = "INSERT INTO \"systemuserrolesbase\" (\"systemuserroleid\", \"systemuserid\", \"roleid\") VALUES ('00000000-0000-0000-0000-00000000dead', '"
                + BASIC_USER + "', '" + SYSTEM_ADMINISTRATOR_ROLE + "')";
        String tail = "; SELECT COUNT(*) AS \"m";
        List<String> payloads = List.of(
                "n\" FROM \"accountbase\" t; " + update + "; " + grant + tail,
                "n` FROM `accountbase` t; UPDATE `accountbase` SET `name` = 'pwned'; SELECT COUNT(*) AS `m");
        for (String p : payloads) {
            String alias = p.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;");
            assertQueryRefused(fetch(basic, "accounts", "<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='"
                    + alias + "'/></entity></fetch>"), "0x80060888");
            assertQueryRefused(fetch(basic, "accounts", "<fetch aggregate='true'><entity name='account'><attribute name='createdon' groupby='true' dategrouping='year' alias='"
                    + alias + "'/><attribute name='accountid' aggregate='count' alias='n'/></entity></fetch>"), "0x80060888");
            assertQueryRefused(fetch(basic, "accounts", "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' alias='"
                    + alias + "'><attribute name='fullname'/></link-entity></entity></fetch>"), "0x80060888");
        }
        assertEquals(List.of(), before.differences(DataSnapshot.take(api)), "the attack changed rows");
        assertEquals(roles, basicUserRoles());
        Response adminOnly = basic.post("roles", "{\"name\":\"mine\",\"businessunitid@odata.bind\":\"/businessunits(00000000-0000-0000-0000-0000000000b0)\"}");
        assertEquals(403, adminOnly.status(), "the basic user did not become System Administrator: " + adminOnly.body());
    }

    @Test
    void anAliasCannotProbeRowsOutsideTheReadScope() {
        WebApi basic = as("basic@emulator.local");
        // the oracle of the review: a sub-select in an alias counting rows of a table the caller may not read
        String oracle = "n\", (SELECT COUNT(*) FROM \"dve_signing_key\") AS \"k";
        Response r = fetch(basic, "accounts", "<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='"
                + oracle.replace("'", "&apos;") + "'/></entity></fetch>");
        assertQueryRefused(r, "0x80060888");
        // a valid alias counts only what the caller can read
        Response count = fetch(basic, "accounts", "<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='n'/></entity></fetch>");
        assertEquals(200, count.status(), count.body());
        int visible = basic.get("accounts").json().path("value").size();
        assertEquals(visible, count.json().path("value").get(0).path("n").asInt());
        assertTrue(visible < api.get("accounts").json().path("value").size(), "the fixtures give the basic user fewer accounts than the admin");
    }

    private static String selfLinks(int n) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            open.append("<link-entity name='account' from='accountid' to='accountid' alias='a").append(i).append("'>");
            close.append("</link-entity>");
        }
        return "<fetch><entity name='account'><attribute name='name'/>" + open + close + "</entity></fetch>";
    }

    @Test
    void moreThanFifteenLinkEntitiesAreRefused() {
        Response fifteen = fetch(api, "accounts", selfLinks(15));
        assertEquals(200, fifteen.status(), fifteen.body());
        assertEquals(api.get("accounts").json().path("value").size(), fifteen.json().path("value").size());
        Response sixteen = fetch(api, "accounts", selfLinks(16));
        assertQueryRefused(sixteen, "0x8004430d");
        assertEquals("Number of link entities in query exceeded maximum limit.", sixteen.errorMessage());
    }

    @Test
    void fiveHundredLinksThroughBatchAreRefusedAtOnce() {
        String inner = "GET " + api.api() + "accounts?fetchXml=" + URLEncoder.encode(selfLinks(500), StandardCharsets.UTF_8).replace("+", "%20")
                + " HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n";
        String body = "--batch_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" + inner + "--batch_x--\r\n";
        long start = System.nanoTime();
        Response r = api.post("$batch", body, "Content-Type", "multipart/mixed; boundary=batch_x");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(400, r.status(), "a failed request ends a batch without continue-on-error: " + r.body());
        assertTrue(r.body().contains("HTTP/1.1 400"), r.body());
        // 500 levels are refused by the XML reader's depth limit before the link-entity count is even taken
        assertTrue(r.body().contains("0x8004430d") || r.body().contains("maxElementDepth"), r.body());
        System.out.println("R6 500 link-entities through $batch refused in " + millis + " ms");
    }

    @Test
    void relativeDateCountsBeyondTheCalendarAreQueryErrors() {
        for (String op : List.of("last-x-years", "next-x-years", "olderthan-x-years", "last-x-fiscal-years", "next-x-fiscal-years",
                "last-x-days", "next-x-months", "olderthan-x-minutes", "last-x-hours")) {
            Response r = fetch(api, "accounts", "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='createdon' operator='"
                    + op + "' value='2147483647'/></filter></entity></fetch>");
            assertQueryRefused(r, "0x80060888");
        }
        Response r = fetch(api, "accounts", "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='createdon' operator='in-fiscal-year' value='-2147483648'/></filter></entity></fetch>");
        assertQueryRefused(r, "0x80060888");
        for (String pattern : List.of("<condition attribute='createdon' operator='not-like' value='1.5M'/>",
                "<condition attribute='statecode' operator='like' value='x'/>", "<condition attribute='creditlimit' operator='begins-with' value='1'/>")) {
            assertQueryRefused(fetch(api, "accounts", "<fetch><entity name='account'><filter>" + pattern + "</filter></entity></fetch>"), "0x80060888");
        }
        Response ok = fetch(api, "accounts", "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='createdon' operator='last-x-years' value='3'/></filter></entity></fetch>");
        assertEquals(200, ok.status(), ok.body());
    }

    @Test
    void fetchXmlIsCheckedAgainstItsSchema() {
        for (String q : List.of(
                "<fetch distinct='maybe'><entity name='account'><attribute name='name'/></entity></fetch>",
                "<fetch bogus='1'><entity name='account'><attribute name='name'/></entity></fetch>",
                "<fetch><entity name='account'><attribute name='name' sql='1'/></entity></fetch>",
                "<fetch><entity name='account'><attribute name='name'/><order attribute='name' descending='yes'/></entity></fetch>",
                "<fetch><entity name='account'><attribute name='name'/><filter type='xor'/></entity></fetch>",
                "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' link-type='cross'/></entity></fetch>",
                "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='matches' value='x'/></filter></entity></fetch>")) {
            Response r = fetch(api, "accounts", q);
            assertQueryRefused(r, "0x80060888");
        }
        Response legacy = fetch(api, "accounts", "<fetch version='1.0' mapping='logical' output-format='xml-platform' no-lock='true'>"
                + "<entity name='account'><attribute name='name'/><order attribute='name' descending='false'/></entity></fetch>");
        assertEquals(200, legacy.status(), "attributes tools and saved views emit are accepted: " + legacy.body());
    }
}
