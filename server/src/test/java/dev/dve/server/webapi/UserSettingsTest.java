package dev.dve.server.webapi;

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
 * usersettings ({@code usersettingscollection}): one row per user, keyed by the user's id, in the user's business
 * unit, created with the user. Its {@code uilanguageid} is what EqualUserLanguage compares with; while it is unset the
 * user has the organization's {@code languagecode}. A user reads and writes their own row; the System Administrator any.
 */
class UserSettingsTest extends EmulatorTest {
    private static final String ADMIN = "00000000-0000-0000-0000-000000000102";
    private static final String BASIC = "00000000-0000-0000-0000-000000000105";
    private static final String BASIC_UNIT = "00000000-0000-0000-0000-0000000000b1";

    private static List<String> userLanguageRows(WebApi client) {
        Response odata = client.get("accounts?$select=name&$orderby=name&$filter=telephone1%20eq%20'lang'%20and%20"
                + "Microsoft.Dynamics.CRM.EqualUserLanguage(PropertyName='numberofemployees')");
        assertEquals(200, odata.status(), odata.body());
        String xml = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter>"
                + "<condition attribute='telephone1' operator='eq' value='lang'/>"
                + "<condition attribute='numberofemployees' operator='eq-userlanguage'/></filter></entity></fetch>";
        Response fetch = client.get("accounts?fetchXml=" + URLEncoder.encode(xml, StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, fetch.status(), fetch.body());
        assertEquals(odata.json().findValuesAsText("name"), fetch.json().findValuesAsText("name"), "EqualUserLanguage and eq-userlanguage agree");
        return odata.json().findValuesAsText("name");
    }

    @Test
    void equalUserLanguageIsTheCallersOwnLanguage() {
        WebApi basic = as("basic@emulator.local");
        for (int lcid : new int[]{1031, 1033, 1036}) {
            basic.post("accounts", "{\"name\":\"lang-" + lcid + "\",\"telephone1\":\"lang\",\"numberofemployees\":" + lcid + "}").expect(204);
        }
        assertEquals(List.of("lang-1033"), userLanguageRows(basic), "no settings of their own: the organization's language");

        basic.patch("usersettingscollection(" + BASIC + ")", "{\"uilanguageid\":1036}").expect(204);
        assertEquals(List.of("lang-1036"), userLanguageRows(basic));
        assertEquals(List.of("lang-1033"), userLanguageRows(api), "another caller keeps the organization's language");

        api.patch("usersettingscollection(" + BASIC + ")", "{\"uilanguageid\":1031}").expect(204);
        assertEquals(List.of("lang-1031"), userLanguageRows(basic), "the settings are read on every query");

        Response row = basic.get("usersettingscollection(" + BASIC + ")?$select=uilanguageid,paginglimit,_businessunitid_value");
        assertEquals(200, row.status(), row.body());
        assertEquals(1031, row.json().path("uilanguageid").asInt());
        assertEquals(50, row.json().path("paginglimit").asInt(), "defaults as Dataverse's");
        assertEquals(BASIC_UNIT, row.json().path("_businessunitid_value").asText(), "the row sits in its user's business unit");
        assertEquals(BASIC, row.json().path("systemuserid").asText());
    }

    @Test
    void aUserReadsAndWritesOnlyTheirOwnSettings() {
        WebApi basic = as("basic@emulator.local");
        api.patch("usersettingscollection(" + ADMIN + ")", "{\"uilanguageid\":1031}").expect(204);
        basic.patch("usersettingscollection(" + BASIC + ")", "{\"timezonecode\":85}").expect(204);

        Response others = basic.patch("usersettingscollection(" + ADMIN + ")", "{\"uilanguageid\":1036}");
        assertEquals(403, others.status(), others.body());
        assertEquals("0x80040220", others.errorCode(), others.body());
        assertEquals(403, basic.get("usersettingscollection(" + ADMIN + ")").status());

        Response mine = basic.get("usersettingscollection?$select=timezonecode");
        assertEquals(200, mine.status(), mine.body());
        assertEquals(List.of(BASIC), mine.json().findValuesAsText("systemuserid"), "a collection read holds the caller's own row only");
        assertEquals(api.get("systemusers?$select=systemuserid").json().path("value").size(),
                api.get("usersettingscollection?$select=uilanguageid").json().path("value").size(), "the administrator reads every user's row");
        assertEquals(1031, api.get("usersettingscollection(" + ADMIN + ")").json().path("uilanguageid").asInt(), "the refused write changed nothing");
    }

    @Test
    void everyUserHasSettingsFromTheStart() {
        Response own = as("basic@emulator.local").get("usersettingscollection(" + BASIC + ")?$select=uilanguageid,paginglimit,_businessunitid_value");
        assertEquals(200, own.status(), "a fixture user's row exists before anyone writes it: " + own.body());
        assertTrue(own.json().path("uilanguageid").isNull(), "no language of their own: the organization's applies");
        assertEquals(50, own.json().path("paginglimit").asInt());

        Response created = api.post("systemusers", "{\"domainname\":\"newcomer@emulator.local\",\"firstname\":\"New\",\"lastname\":\"Comer\","
                + "\"businessunitid@odata.bind\":\"/businessunits(" + BASIC_UNIT + ")\"}", "Prefer", "return=representation");
        assertEquals(201, created.status(), created.body());
        String user = created.json().path("systemuserid").asText();
        Response settings = api.get("usersettingscollection(" + user + ")?$select=_businessunitid_value");
        assertEquals(200, settings.status(), "created with the user: " + settings.body());
        assertEquals(BASIC_UNIT, settings.json().path("_businessunitid_value").asText());
    }

    @Test
    void settingsBelongToAnExistingUser() {
        Response nobody = api.patch("usersettingscollection(5b7a1c5e-0000-4000-8000-000000000001)", "{\"uilanguageid\":1033}");
        assertEquals(404, nobody.status(), nobody.body());
        Response keyless = api.post("usersettingscollection", "{\"uilanguageid\":1033}");
        assertEquals(400, keyless.status(), keyless.body());
        Response unit = api.patch("usersettingscollection(" + ADMIN + ")", "{\"businessunitid@odata.bind\":\"/businessunits(" + BASIC_UNIT + ")\"}");
        assertEquals(400, unit.status(), "the business unit is the user's, not the caller's choice: " + unit.body());
    }
}
