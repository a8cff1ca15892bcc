package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps docs/queries.md honest by behaviour: every row of its "OData query options" and "FetchXML" tables has a
 * probe here, found by a fragment of the row's feature cell, that runs the feature on the fixtures (plus a few rows
 * of its own) and checks the rows it determines, or, for a row that says "refused", the documented refusal. A row
 * without a probe, or a probe without a row, fails. (The "Limits" and "$batch" tables are not probed here; their
 * rows are checked by the classes they name, as the last test checks.)
 */
class QueryDocsTableTest extends EmulatorTest {
    private static final String F = "Microsoft.Dynamics.CRM.";
    private static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";
    private static final String FABRIKAM = "00000000-0000-0000-0000-00000000ac02";
    private static final String ADVENTURE = "00000000-0000-0000-0000-00000000ac03";
    private static final String SUSANNA = "00000000-0000-0000-0000-00000000c002";
    private static final List<String> ALL = List.of("Adventure Works", "Contoso Ltd", "Fabrikam Inc");
    private final Map<String, Runnable> probes = new LinkedHashMap<>();

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> values(Response r, String field) {
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        r.json().path("value").forEach(v -> out.add(v.path(field).asText()));
        return out;
    }

    /** Account names a $filter selects, by name. */
    private List<String> accounts(String filter) {
        return values(api.get("accounts?$select=name&$orderby=name&$filter=" + enc(filter)), "name");
    }

    private List<String> contacts(String filter) {
        return values(api.get("contacts?$select=lastname&$orderby=lastname&$filter=" + enc(filter)), "lastname");
    }

    private Response fetch(String set, String xml, String... headers) {
        return api.get(set + "?fetchXml=" + enc(xml), headers);
    }

    private List<String> fetchAccounts(String filter) {
        return values(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter>" + filter
                + "</filter></entity></fetch>"), "name");
    }

    private static void refused(Response r, int status, String code, String message) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.errorCode(), r.body());
        assertTrue(r.errorMessage().contains(message), r.errorMessage());
    }

    /** The clock at 2025-06-18 12:00 UTC and five accounts (telephone1 'docdates') created at known moments. */
    private void dated() {
        api.clock("2025-06-18T12:00:00Z", null);
        String[][] rows = {{"doc-today", "2025-06-18T08:00:00Z"}, {"doc-yesterday", "2025-06-17T10:00:00Z"}, {"doc-tomorrow", "2025-06-19T10:00:00Z"},
                {"doc-lastyear", "2024-03-01T10:00:00Z"}, {"doc-old", "2020-01-01T00:00:00Z"}};
        for (String[] r : rows) {
            api.post("accounts", "{\"name\":\"" + r[0] + "\",\"telephone1\":\"docdates\",\"overriddencreatedon\":\"" + r[1] + "\"}").expect(204);
        }
    }

    private List<String> dates(String function) {
        return accounts("telephone1 eq 'docdates' and " + F + function);
    }

    private Map<String, Integer> groups(Response r, String key, String count) {
        assertEquals(200, r.status(), r.body());
        Map<String, Integer> out = new HashMap<>();
        r.json().path("value").forEach(g -> out.put(g.path(key).asText(), g.path(count).asInt()));
        return out;
    }

    QueryDocsTableTest() {
        // ---- OData query options
        probes.put("`$select`", () -> {
            JsonNode a = api.get("accounts(" + ADVENTURE + ")?$select=name,_parentaccountid_value").expect(200).json();
            assertEquals("Adventure Works", a.path("name").asText());
            assertEquals(CONTOSO, a.path("_parentaccountid_value").asText());
            assertFalse(a.has("revenue"), "only the selected columns: " + a);
        });
        probes.put("`$filter` `eq ne gt ge lt le`", () -> {
            assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"),
                    accounts("numberofemployees ge 250 and numberofemployees lt 1200 or not (name ne 'Fabrikam Inc')"));
            assertEquals(List.of("Adventure Works"), accounts("(numberofemployees gt 250) and (numberofemployees le 1200)"));
            api.patch("accounts(" + FABRIKAM + ")", "{\"description\":\"d\"}").expect(204);
            assertEquals(List.of("Adventure Works", "Contoso Ltd"), accounts("description ne 'd'"), "ne keeps the rows with no value");
        });
        probes.put("`$filter` `null`, GUIDs", () -> {
            assertEquals(List.of("Adventure Works"), accounts("telephone1 eq null"));
            assertEquals(List.of("Fabrikam Inc"), accounts("accountid eq " + FABRIKAM));
            assertEquals(List.of("Fabrikam Inc"), accounts("creditonhold eq true"));
            assertEquals(List.of("Adventure Works"), accounts("customertypecode eq 5"));
            assertEquals(List.of("Adventure Works"), accounts("_parentaccountid_value eq " + CONTOSO));
            assertEquals(ALL, accounts("createdon gt 2000-01-01T00:00:00Z"));
            assertEquals(List.of("McKay"), contacts("birthdate eq 1984-03-02"));
        });
        probes.put("`contains`, `startswith`, `endswith`", () -> {
            assertEquals(List.of("Adventure Works"), accounts("contains(name,'WORKS')"));
            assertEquals(List.of("Fabrikam Inc"), accounts("startswith(name,'fab')"));
            assertEquals(List.of("Contoso Ltd"), accounts("endswith(name,'LTD')"));
        });
        probes.put("column-to-column comparison", () -> {
            api.patch("accounts(" + FABRIKAM + ")", "{\"creditlimit\":500000}").expect(204);
            assertEquals(List.of("Fabrikam Inc"), accounts("creditlimit gt revenue"));
            assertEquals(400, api.get("accounts?$filter=" + enc("creditlimit gt name")).status(), "types must match");
        });
        probes.put("lookup paths", () -> {
            assertEquals(List.of("McKay"), contacts("parentcustomerid_account/name eq 'Contoso Ltd'"));
            assertEquals(List.of("Anderson"), contacts("parentcustomerid_account/parentaccountid/name eq 'Contoso Ltd'"), "two hops");
        });
        probes.put("lambda `any` / `all`", () -> {
            assertEquals(List.of("Contoso Ltd"), accounts("contact_customer_accounts/any(c:c/lastname eq 'McKay')"));
            assertEquals(List.of("Adventure Works", "Fabrikam Inc"), accounts("contact_customer_accounts/all(c:c/lastname ne 'McKay')"));
        });
        probes.put("parameter aliases", () -> {
            assertEquals(List.of("Fabrikam Inc"), values(api.get("accounts?$select=name&$filter=name%20eq%20@n&@n='Fabrikam%20Inc'"), "name"));
            assertEquals(List.of("Contoso Ltd"), values(api.get("accounts?$select=name&$filter=" + F + "In(PropertyName=@p,PropertyValues=@v)&@p='name'&@v="
                    + enc("[\"Contoso Ltd\"]")), "name"));
        });
        probes.put("`Microsoft.Dynamics.CRM.In`", () -> {
            assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), accounts(F + "In(PropertyName='name',PropertyValues=[\"Contoso Ltd\",\"Fabrikam Inc\"])"));
            assertEquals(List.of("Adventure Works"), accounts(F + "NotIn(PropertyName='name',PropertyValues=[\"Contoso Ltd\",\"Fabrikam Inc\"])"));
            assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), accounts(F + "Between(PropertyName='numberofemployees',PropertyValues=[\"30\",\"300\"])"));
            assertEquals(List.of("Adventure Works"), accounts(F + "NotBetween(PropertyName='numberofemployees',PropertyValues=[\"30\",\"300\"])"));
        });
        probes.put("`Today`, `Yesterday`", () -> {
            dated();
            assertEquals(List.of("doc-today"), dates("Today(PropertyName='createdon')"));
            assertEquals(List.of("doc-yesterday"), dates("Yesterday(PropertyName='createdon')"));
            assertEquals(List.of("doc-tomorrow"), dates("Tomorrow(PropertyName='createdon')"));
            assertEquals(List.of("doc-today", "doc-tomorrow", "doc-yesterday"), dates("ThisMonth(PropertyName='createdon')"));
            assertEquals(List.of("doc-lastyear"), dates("LastYear(PropertyName='createdon')"));
        });
        probes.put("`LastX…`, `NextX…`", () -> {
            dated();
            assertEquals(List.of("doc-today", "doc-yesterday"), dates("LastXDays(PropertyName='createdon',PropertyValue=2)"));
            assertEquals(List.of("doc-tomorrow"), dates("NextXDays(PropertyName='createdon',PropertyValue=1)"));
            assertEquals(List.of("doc-lastyear", "doc-old"), dates("OlderThanXYears(PropertyName='createdon',PropertyValue=1)"));
        });
        probes.put("`On`, `OnOrBefore`, `OnOrAfter`", () -> {
            dated();
            assertEquals(List.of("doc-yesterday"), dates("On(PropertyName='createdon',PropertyValue='2025-06-17')"));
            assertEquals(List.of("doc-lastyear", "doc-old"), dates("OnOrBefore(PropertyName='createdon',PropertyValue='2024-03-01')"));
            assertEquals(List.of("doc-today", "doc-tomorrow"), dates("OnOrAfter(PropertyName='createdon',PropertyValue='2025-06-18')"));
        });
        probes.put("`EqualUserId`, `NotEqualUserId`", () -> {
            WebApi basic = as("basic@emulator.local");
            assertEquals(List.of("Adventure Works"), values(basic.get("accounts?$select=name&$filter=" + enc(F + "EqualUserId(PropertyName='ownerid')")), "name"));
            assertEquals(1, values(basic.get("accounts?$select=name&$filter=" + enc(F + "EqualBusinessId(PropertyName='owningbusinessunit')")), "name").size());
        });
        probes.put("`not` on a query function", () -> refused(api.get("accounts?$filter=" + enc("not " + F + "Today(PropertyName='createdon')")), 400,
                "0x80060888", "Not operator along with the Custom Named Condition operators is not allowed"));
        probes.put("hierarchy functions", () -> {
            assertEquals(List.of("Adventure Works"), accounts(F + "Under(PropertyName='accountid',PropertyValue='" + CONTOSO + "')"));
            assertEquals(List.of("Contoso Ltd"), accounts(F + "Above(PropertyName='accountid',PropertyValue='" + ADVENTURE + "')"));
            assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), accounts(F + "NotUnder(PropertyName='accountid',PropertyValue='" + CONTOSO + "')"));
        });
        probes.put("fiscal functions", () -> {
            dated();
            api.patch("organizations(00000000-0000-0000-0000-00000000000a)", "{\"fiscalcalendarstart\":\"2000-04-01T00:00:00Z\"}").expect(204);
            assertEquals(List.of("doc-today", "doc-tomorrow", "doc-yesterday"), dates("ThisFiscalYear(PropertyName='createdon')"));
            assertEquals(List.of("doc-lastyear"), dates("InFiscalYear(PropertyName='createdon',PropertyValue=2023)"), "FY2023 runs 2023-04-01 … 2024-03-31");
            assertEquals(List.of("doc-lastyear"), dates("InFiscalPeriodAndYear(PropertyName='createdon',PropertyValue1=4,PropertyValue2=2023)"));
        });
        probes.put("`ContainValues`, `DoesNotContainValues`", () -> {
            api.post("contacts", "{\"lastname\":\"ms-a\",\"preferredcontactmethods\":\"1,3\"}").expect(204);
            api.post("contacts", "{\"lastname\":\"ms-b\",\"preferredcontactmethods\":\"2\"}").expect(204);
            assertEquals(List.of("ms-a"), contacts("startswith(lastname,'ms-') and " + F + "ContainValues(PropertyName='preferredcontactmethods',PropertyValues=[\"3\"])"));
            assertEquals(List.of("ms-b"), contacts("startswith(lastname,'ms-') and " + F + "DoesNotContainValues(PropertyName='preferredcontactmethods',PropertyValues=[\"3\"])"));
            assertEquals(List.of("ms-a"), values(fetch("contacts", "<fetch><entity name='contact'><attribute name='lastname'/><filter>"
                    + "<condition attribute='lastname' operator='begins-with' value='ms-'/><condition attribute='preferredcontactmethods' operator='contain-values'>"
                    + "<value>1</value></condition></filter></entity></fetch>"), "lastname"));
        });
        probes.put("`$orderby` on several attributes", () ->
                assertEquals(List.of("Fabrikam Inc", "Adventure Works", "Contoso Ltd"),
                        values(api.get("accounts?$select=name&$orderby=creditonhold%20desc,name%20asc"), "name")));
        probes.put("`$top`", () -> {
            assertEquals(List.of("Adventure Works", "Contoso Ltd"), values(api.get("accounts?$select=name&$orderby=name&$top=2"), "name"));
            refused(api.get("accounts?$top=5001"), 400, "0x80060888", "The limit of '5000' for Top query has been exceeded");
        });
        probes.put("`$count=true`", () -> {
            JsonNode r = api.get("accounts?$select=name&$top=1&$count=true").expect(200).json();
            assertEquals(3, r.path("@odata.count").asInt());
            assertEquals(1, r.path("value").size());
            assertEquals("2", api.get("accounts/$count?$filter=" + enc("numberofemployees lt 1000")).expect(200).body().trim());
        });
        probes.put("`$skip`, `$search`", () -> {
            assertEquals(400, api.get("accounts?$skip=1").status());
            assertEquals(400, api.get("accounts?$search=Contoso").status());
        });
        probes.put("`Prefer: odata.maxpagesize`", () -> {
            Response first = api.get("accounts?$select=name&$orderby=name", "Prefer", "odata.maxpagesize=2");
            assertEquals(List.of("Adventure Works", "Contoso Ltd"), values(first, "name"));
            String next = first.json().path("@odata.nextLink").asText();
            assertTrue(next.contains("$skiptoken="), next);
            Response second = api.get(next, "Prefer", "odata.maxpagesize=2");
            assertEquals(List.of("Fabrikam Inc"), values(second, "name"));
            assertFalse(second.json().has("@odata.nextLink"));
        });
        probes.put("`$expand`", () -> {
            JsonNode contoso = api.get("accounts(" + CONTOSO + ")?$select=name&$expand=contact_customer_accounts($select=lastname)").expect(200).json();
            assertEquals(1, contoso.path("contact_customer_accounts").size());
            assertEquals("McKay", contoso.path("contact_customer_accounts").get(0).path("lastname").asText());
            JsonNode adventure = api.get("accounts(" + ADVENTURE + ")?$select=name&$expand=parentaccountid($select=name)").expect(200).json();
            assertEquals("Contoso Ltd", adventure.path("parentaccountid").path("name").asText());
        });
        probes.put("`$apply` `groupby`, `aggregate`", () -> {
            JsonNode sum = api.get("accounts?$apply=" + enc("aggregate(numberofemployees with sum as total)")).expect(200).json();
            assertEquals(1490, sum.path("value").get(0).path("total").asInt());
            Map<String, Integer> byHold = groups(api.get("accounts?$apply=" + enc("groupby((creditonhold),aggregate($count as n))")), "creditonhold", "n");
            assertEquals(Map.of("false", 2, "true", 1), byHold);
        });
        probes.put("`$apply` groupby on a lookup path", () -> {
            JsonNode r = api.get("contacts?$apply=" + enc("groupby((parentcustomerid_account/name),aggregate($count as n))")).expect(200).json();
            assertEquals(3, r.path("value").size(), r.toString());
            r.path("value").forEach(g -> assertEquals(1, g.path("n").asInt(), g.toString()));
        });
        probes.put("related collections", () ->
                assertEquals(List.of("McKay"), values(api.get("accounts(" + CONTOSO + ")/contact_customer_accounts?$select=lastname"), "lastname")));
        probes.put("`$ref` associate / disassociate", () -> {
            api.put("accounts(" + FABRIKAM + ")/primarycontactid/$ref", "{\"@odata.id\":\"" + api.api() + "contacts(" + SUSANNA + ")\"}").expect(204);
            assertEquals(SUSANNA, api.get("accounts(" + FABRIKAM + ")?$select=_primarycontactid_value").json().path("_primarycontactid_value").asText());
            api.delete("accounts(" + FABRIKAM + ")/primarycontactid/$ref").expect(204);
            assertTrue(api.get("accounts(" + FABRIKAM + ")?$select=_primarycontactid_value").json().path("_primarycontactid_value").isNull());
        });
        probes.put("`$crossjoin`, `$all`", () -> {
            refused(api.get("$crossjoin(accounts,contacts)"), 400, "0x80060888", "is not supported");
            refused(api.get("$all"), 400, "0x80060888", "is not supported");
            refused(api.get("accounts/$ref"), 400, "0x80060888", "is not supported");
        });

        // ---- FetchXML
        probes.put("`attribute`, `all-attributes`", () -> {
            Response r = fetch("accounts", "<fetch top='2' distinct='true'><entity name='account'><attribute name='name'/><order attribute='name' descending='true'/>"
                    + "<filter type='or'><condition attribute='name' operator='eq' value='Contoso Ltd'/><filter type='and'>"
                    + "<condition attribute='creditonhold' operator='eq' value='1'/><condition attribute='numberofemployees' operator='lt' value='100'/></filter>"
                    + "</filter></entity></fetch>");
            assertEquals(List.of("Fabrikam Inc", "Contoso Ltd"), values(r, "name"));
            JsonNode all = fetch("accounts", "<fetch><entity name='account'><all-attributes/><filter><condition attribute='accountid' operator='eq' value='"
                    + ADVENTURE + "'/></filter></entity></fetch>").expect(200).json().path("value").get(0);
            assertEquals(9800000, all.path("revenue").asInt());
        });
        probes.put("operators `eq ne gt ge lt le like", () -> {
            assertEquals(List.of("Adventure Works"), fetchAccounts("<condition attribute='name' operator='like' value='%works'/>"));
            assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), fetchAccounts("<condition attribute='name' operator='not-like' value='%Works'/>"));
            assertEquals(List.of("Fabrikam Inc"), fetchAccounts("<condition attribute='name' operator='begins-with' value='fab'/>"));
            assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), fetchAccounts("<condition attribute='numberofemployees' operator='between'><value>30</value><value>300</value></condition>"));
            assertEquals(List.of("Adventure Works", "Fabrikam Inc"), fetchAccounts("<condition attribute='name' operator='in'><value>Fabrikam Inc</value><value>Adventure Works</value></condition>"));
            assertEquals(List.of("Adventure Works"), fetchAccounts("<condition attribute='telephone1' operator='null'/>"));
            assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), fetchAccounts("<condition attribute='numberofemployees' operator='le' value='250'/>"));
            assertEquals(List.of("Adventure Works", "Contoso Ltd"), fetchAccounts("<condition attribute='name' operator='ne' value='Fabrikam Inc'/>"));
        });
        probes.put("relative-date, fiscal, user and hierarchy operators", () -> {
            dated();
            assertEquals(List.of("doc-today"), fetchAccounts("<condition attribute='telephone1' operator='eq' value='docdates'/><condition attribute='createdon' operator='today'/>"));
            assertEquals(List.of("doc-lastyear", "doc-old"), fetchAccounts("<condition attribute='telephone1' operator='eq' value='docdates'/>"
                    + "<condition attribute='createdon' operator='olderthan-x-months' value='6'/>"));
            assertEquals(List.of("doc-lastyear"), fetchAccounts("<condition attribute='telephone1' operator='eq' value='docdates'/><condition attribute='createdon' operator='last-fiscal-year'/>"));
            assertEquals(List.of("Adventure Works"), fetchAccounts("<condition attribute='accountid' operator='under' value='" + CONTOSO + "'/>"));
            assertEquals(List.of("Adventure Works"), values(as("basic@emulator.local").get("accounts?fetchXml=" + enc("<fetch><entity name='account'><attribute name='name'/>"
                    + "<filter><condition attribute='ownerid' operator='eq-userid'/></filter></entity></fetch>")), "name"));
        });
        probes.put("`link-entity` inner and outer", () -> {
            String xml = "<fetch><entity name='contact'><attribute name='lastname'/><order attribute='lastname'/>"
                    + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='acc' link-type='%s'><attribute name='name'/>"
                    + "<filter><condition attribute='numberofemployees' operator='gt' value='100'/></filter></link-entity></entity></fetch>";
            Response inner = fetch("contacts", xml.formatted("inner"));
            assertEquals(List.of("Anderson", "McKay"), values(inner, "lastname"));
            assertEquals(List.of("Adventure Works", "Contoso Ltd"), values(inner, "acc.name"));
            assertEquals(List.of("Anderson", "McKay", "Stubberod"), values(fetch("contacts", xml.formatted("outer")), "lastname"));
        });
        probes.put("`count` / `page` / `paging-cookie`", () -> {
            String xml = "<fetch count='2' page='%d'><entity name='contact'><attribute name='lastname'/><order attribute='lastname'/></entity></fetch>";
            Response first = fetch("contacts", xml.formatted(1), "Prefer", "odata.include-annotations=\"*\"");
            assertEquals(List.of("Anderson", "McKay"), values(first, "lastname"));
            assertTrue(first.json().path("@Microsoft.Dynamics.CRM.morerecords").asBoolean());
            assertTrue(first.json().path("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie").asText().startsWith("<cookie pagenumber=\"2\""));
            assertEquals(List.of("Stubberod"), values(fetch("contacts", xml.formatted(2)), "lastname"));
        });
        probes.put("`returntotalrecordcount`", () -> {
            Response r = fetch("accounts", "<fetch count='1' returntotalrecordcount='true'><entity name='account'><attribute name='name'/></entity></fetch>",
                    "Prefer", "odata.include-annotations=\"*\"");
            assertEquals(1, values(r, "name").size());
            assertEquals(3, r.json().path("@Microsoft.Dynamics.CRM.totalrecordcount").asInt());
        });
        probes.put("`aggregate` with `groupby`", () -> {
            Response r = fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='creditonhold' alias='hold' groupby='true'/>"
                    + "<attribute name='accountid' alias='n' aggregate='count'/><attribute name='numberofemployees' alias='staff' aggregate='sum'/>"
                    + "<attribute name='numberofemployees' alias='most' aggregate='max'/></entity></fetch>");
            assertEquals(Map.of("false", 2, "true", 1), groups(r, "hold", "n"));
            assertEquals(Map.of("false", 1450, "true", 40), groups(r, "hold", "staff"));
            assertEquals(Map.of("false", 1200, "true", 40), groups(r, "hold", "most"));
        });
        probes.put("`dategrouping` `year`", () -> {
            dated();
            Response r = fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='createdon' alias='y' groupby='true' dategrouping='year'/>"
                    + "<attribute name='accountid' alias='n' aggregate='count'/><filter><condition attribute='telephone1' operator='eq' value='docdates'/></filter></entity></fetch>");
            assertEquals(Map.of("2025", 3, "2024", 1, "2020", 1), groups(r, "y", "n"));
        });
        probes.put("`dategrouping` `fiscal-year`", () -> {
            dated();
            api.patch("organizations(00000000-0000-0000-0000-00000000000a)", "{\"fiscalcalendarstart\":\"2000-04-01T00:00:00Z\"}").expect(204);
            Response r = fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='createdon' alias='y' groupby='true' dategrouping='fiscal-year'/>"
                    + "<attribute name='accountid' alias='n' aggregate='count'/><filter><condition attribute='telephone1' operator='eq' value='docdates'/></filter></entity></fetch>");
            assertEquals(Map.of("FY2025", 3, "FY2023", 1, "FY2019", 1), groups(r, "y", "n"));
        });
        probes.put("`entityname` conditions", () ->
                assertEquals(List.of("Stubberod"), values(fetch("contacts", "<fetch><entity name='contact'><attribute name='lastname'/>"
                        + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='a' link-type='outer'/>"
                        + "<filter><condition entityname='a' attribute='creditonhold' operator='eq' value='1'/></filter></entity></fetch>"), "lastname")));
        probes.put("`valueof`", () -> {
            api.patch("accounts(" + FABRIKAM + ")", "{\"creditlimit\":500000}").expect(204);
            assertEquals(List.of("Fabrikam Inc"), fetchAccounts("<condition attribute='creditlimit' operator='gt' valueof='revenue'/>"));
        });
        probes.put("link types `exists`, `in`", () -> {
            String link = "<link-entity name='contact' from='parentcustomerid' to='accountid' link-type='%s'><filter>"
                    + "<condition attribute='lastname' operator='eq' value='McKay'/></filter></link-entity>";
            assertEquals(List.of("Contoso Ltd"), values(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/>" + link.formatted("exists")
                    + "</entity></fetch>"), "name"));
            assertEquals(List.of("Contoso Ltd"), values(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/>" + link.formatted("in")
                    + "</entity></fetch>"), "name"));
            assertEquals(List.of("Adventure Works", "Fabrikam Inc"), fetchAccounts(link.formatted("not any")));
        });
        probes.put("`order` inside a `link-entity`", () ->
                assertEquals(List.of("Stubberod", "McKay", "Anderson"), values(fetch("contacts", "<fetch><entity name='contact'><attribute name='lastname'/>"
                        + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='acc'><order attribute='numberofemployees'/></link-entity>"
                        + "</entity></fetch>"), "lastname"), "by the account's staff: 40, 250, 1200"));
        probes.put("`order alias='…'` in aggregate queries", () -> {
            Response r = fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='creditonhold' alias='hold' groupby='true'/>"
                    + "<attribute name='accountid' alias='n' aggregate='count'/><order alias='n' descending='false'/></entity></fetch>");
            assertEquals(List.of("1", "2"), values(r, "n"));
        });
        probes.put("aggregates and groups over link-entity columns", () -> {
            Response r = fetch("contacts", "<fetch aggregate='true'><entity name='contact'><attribute name='contactid' alias='n' aggregate='count'/>"
                    + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='a'><attribute name='creditonhold' alias='hold' groupby='true'/>"
                    + "</link-entity></entity></fetch>");
            assertEquals(Map.of("false", 2, "true", 1), groups(r, "hold", "n"));
            refused(fetch("accounts", "<fetch aggregate='true' aggregatelimit='2'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/>"
                    + "</entity></fetch>"), 400, "0x8004e023", "AggregateQueryRecordLimit exceeded");
        });
        probes.put("link type `matchfirstrowusingcrossapply`", () -> {
            api.post("contacts", "{\"lastname\":\"Second\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + CONTOSO + ")\"}").expect(204);
            Response r = fetch("accounts", "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/>"
                    + "<link-entity name='contact' from='parentcustomerid' to='accountid' alias='c' link-type='matchfirstrowusingcrossapply'>"
                    + "<attribute name='lastname'/></link-entity></entity></fetch>");
            assertEquals(ALL, values(r, "name"), "one row per account although Contoso has two contacts");
        });
        probes.put("`savedQuery=<id>`", () -> {
            assertEquals(ALL, values(api.get("accounts?savedQuery=00000000-0000-0000-0000-0000000a1e04"), "name"));
            assertEquals(400, api.get("contacts?savedQuery=00000000-0000-0000-0000-0000000a1e04").status(), "the view returns accounts");
        });
        probes.put("invalid FetchXML", () -> {
            refused(fetch("accounts", "<fetch><entity name='account'>"), 400, "0x80060888", "");
            refused(fetch("accounts", "<fetch><entity name='account'><attribute name='nosuch'/></entity></fetch>"), 400, "0x80060888", "");
            refused(fetch("accounts", "<fetch><entity name='account'><filter><condition attribute='name' operator='nosuch' value='x'/></filter></entity></fetch>"),
                    400, "0x80060888", "");
            refused(fetch("accounts", "<fetch><entity name='account'><filter><condition attribute='numberofemployees' operator='eq' value='many'/></filter></entity></fetch>"),
                    400, "0x80060888", "");
        });
    }

    /** The feature cells of the tables under the given headings, in order. */
    private static List<String> features(String... headings) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "queries.md"));
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String l : lines) {
            if (l.startsWith("#")) {
                inside = Stream.of(headings).anyMatch(l::contains);
            } else if (inside && l.startsWith("| ") && !l.startsWith("| feature") && !l.startsWith("| limit")) {
                out.add(l.split("\\|")[1].trim());
            }
        }
        return out;
    }

    private String probeFor(String feature) {
        List<String> keys = probes.keySet().stream().filter(feature::contains).toList();
        return keys.size() == 1 ? keys.get(0) : null;
    }

    @Test
    void everyRowHasExactlyOneProbeAndEveryProbeARow() throws IOException {
        List<String> rows = features("OData query options", "FetchXML");
        assertTrue(rows.size() > 40, "the tables have their rows: " + rows.size());
        List<String> problems = new ArrayList<>();
        for (String row : rows) {
            if (probeFor(row) == null) {
                problems.add("no single probe for: " + row);
            }
        }
        for (String key : probes.keySet()) {
            if (rows.stream().noneMatch(r -> r.contains(key))) {
                problems.add("probe without a row: " + key);
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRowBehavesAsDocumented() throws IOException {
        return features("OData query options", "FetchXML").stream().filter(f -> probeFor(f) != null)
                .map(f -> DynamicTest.dynamicTest(f, () -> {
                    api.post("/admin/reset", "{}").expect(200);
                    probes.get(probeFor(f)).run();
                }));
    }

    @Test
    void limitsAndBatchRowsNameTestClassesThatExist() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "queries.md"));
        List<String> problems = new ArrayList<>();
        boolean inside = false;
        for (String l : lines) {
            if (l.startsWith("#")) {
                inside = l.contains("Limits") || l.contains("$batch");
            } else if (inside && l.startsWith("| ") && !l.startsWith("| feature") && !l.startsWith("| limit")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(\\w+Test)`").matcher(l.substring(l.lastIndexOf("| ", l.length() - 2)));
                int named = 0;
                while (m.find()) {
                    named++;
                    if (!Files.exists(Path.of("src", "test", "java", "dev", "dve", "server", "webapi", m.group(1) + ".java"))) {
                        problems.add(m.group(1));
                    }
                }
                if (named == 0) {
                    problems.add("no test named: " + l);
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.toString());
    }
}
