package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Microsoft.Dynamics.CRM query functions in $filter, computed from the emulator clock and the caller. */
class QueryFunctionTest extends EmulatorTest {
    private static final String F = "Microsoft.Dynamics.CRM.";

    @BeforeEach
    void dated() {
        // the clock stands at Wednesday 2025-06-18 12:00 UTC
        api.post("/admin/clock", "{\"set\":\"2025-06-18T12:00:00Z\",\"freeze\":true}");
        String[][] rows = {{"d-today", "2025-06-18T08:00:00Z"}, {"d-yesterday", "2025-06-17T23:00:00Z"}, {"d-3days", "2025-06-15T10:00:00Z"},
                {"d-lastweek", "2025-06-10T10:00:00Z"}, {"d-lastmonth", "2025-05-20T10:00:00Z"}, {"d-lastyear", "2024-11-01T10:00:00Z"},
                {"d-tomorrow", "2025-06-19T10:00:00Z"}, {"d-in2hours", "2025-06-18T13:30:00Z"}};
        for (String[] r : rows) {
            assertEquals(204, api.post("accounts", "{\"name\":\"" + r[0] + "\",\"telephone1\":\"dates\",\"overriddencreatedon\":\"" + r[1] + "\"}").status());
        }
    }

    private List<String> names(String filter) {
        Response r = api.get("accounts?$select=name&$orderby=name&$filter=telephone1%20eq%20'dates'%20and%20" + filter);
        assertEquals(200, r.status(), filter + ": " + r.body());
        List<String> out = new ArrayList<>();
        r.json().path("value").forEach(v -> out.add(v.path("name").asText()));
        return out;
    }

    private String fn(String name, String args) {
        return F + name + "(PropertyName='createdon'" + args + ")";
    }

    @Test
    void relativeDates() {
        assertEquals(List.of("d-in2hours", "d-today"), names(fn("Today", "")));
        assertEquals(List.of("d-yesterday"), names(fn("Yesterday", "")));
        assertEquals(List.of("d-tomorrow"), names(fn("Tomorrow", "")));
        assertEquals(List.of("d-3days", "d-today", "d-yesterday"), names(fn("LastXDays", ",PropertyValue=3")));
        assertEquals(List.of("d-3days", "d-today", "d-yesterday"), names(fn("Last7Days", "")), "from the start of the day a week ago (06-11)");
        assertEquals(List.of("d-lastweek"), names(fn("LastWeek", "")));
        assertEquals(List.of("d-3days", "d-in2hours", "d-today", "d-tomorrow", "d-yesterday"), names(fn("ThisWeek", "")));
        assertEquals(List.of("d-lastmonth"), names(fn("LastMonth", "")));
        assertEquals(List.of("d-lastyear"), names(fn("LastYear", "")));
        assertEquals(List.of("d-in2hours"), names(fn("NextXHours", ",PropertyValue=2")));
        assertEquals(List.of("d-lastmonth", "d-lastweek", "d-lastyear"), names(fn("OlderThanXDays", ",PropertyValue=5")));
        assertEquals(List.of("d-lastyear"), names(fn("OlderThanXMonths", ",PropertyValue=6")));
        assertEquals(List.of("d-3days"), names(fn("On", ",PropertyValue='2025-06-15'")));
        assertEquals(List.of("d-lastmonth", "d-lastweek", "d-lastyear"), names(fn("OnOrBefore", ",PropertyValue='2025-06-10'")));
        api.post("/admin/clock", "{\"advance\":\"P1D\"}");
        assertEquals(List.of("d-tomorrow"), names(fn("Today", "")), "computed from the emulator clock at query time");
    }

    @Test
    void inBetweenAndAliases() {
        assertEquals(List.of("d-lastweek", "d-today"), names(F + "In(PropertyName='name',PropertyValues=%5B%22d-today%22,%22d-lastweek%22%5D)"));
        assertEquals(6, names(F + "NotIn(PropertyName='name',PropertyValues=%5B%22d-today%22,%22d-lastweek%22%5D)").size());
        assertEquals(List.of("d-3days", "d-lastweek"), names(F + "Between(PropertyName=@p1,PropertyValues=@p2)&@p1='createdon'&@p2=%5B%222025-06-01T00:00:00Z%22,%222025-06-16T00:00:00Z%22%5D"));
        JsonNode counts = api.get("accounts?$select=name&$filter=" + F + "Between(PropertyName='numberofemployees',PropertyValues=%5B%2230%22,%22300%22%5D)").json();
        assertEquals(2, counts.path("value").size(), "Contoso (250) and Fabrikam (40)");
    }

    @Test
    void callerRelativeFunctions() {
        JsonNode mine = as("basic@emulator.local").get("accounts?$select=name&$filter=" + F + "EqualUserId(PropertyName='ownerid')").json();
        assertEquals(1, mine.path("value").size());
        assertEquals("Adventure Works", mine.path("value").get(0).path("name").asText());
        JsonNode unit = as("basic@emulator.local").get("accounts?$select=name&$filter=" + F + "EqualBusinessId(PropertyName='owningbusinessunit')").json();
        assertEquals(1, unit.path("value").size());
    }

    @Test
    void misuseIsAQueryError() {
        Response negated = api.get("accounts?$filter=not%20" + fn("Today", ""));
        assertEquals(400, negated.status());
        assertEquals("Not operator along with the Custom Named Condition operators is not allowed", negated.errorMessage());
        Response notDate = api.get("accounts?$filter=" + F + "Today(PropertyName='name')");
        assertEquals(400, notDate.status());
        assertEquals("0x80060888", notDate.errorCode());
        Response unknownColumn = api.get("accounts?$filter=" + F + "Today(PropertyName='nosuch')");
        assertEquals(400, unknownColumn.status());
        Response badArray = api.get("accounts?$filter=" + F + "In(PropertyName='name',PropertyValues=%5Bnope)");
        assertTrue(badArray.status() == 400, badArray.body());
    }

    @Test
    void hierarchyFunctions() {
        String contoso = "00000000-0000-0000-0000-00000000ac01";
        String adventure = "00000000-0000-0000-0000-00000000ac03";
        String grandchild = api.post("accounts", "{\"name\":\"Grandchild\",\"parentaccountid@odata.bind\":\"/accounts(" + adventure + ")\"}",
                "Prefer", "return=representation").json().path("accountid").asText();
        java.util.function.Function<String, List<String>> q = f -> {
            Response r = api.get("accounts?$select=name&$orderby=name&$filter=" + f);
            assertEquals(200, r.status(), f + ": " + r.body());
            List<String> out = new ArrayList<>();
            r.json().path("value").forEach(v -> out.add(v.path("name").asText()));
            return out;
        };
        assertEquals(List.of("Adventure Works", "Grandchild"), q.apply(F + "Under(PropertyName='accountid',PropertyValue='" + contoso + "')"));
        assertEquals(List.of("Adventure Works", "Contoso Ltd", "Grandchild"), q.apply(F + "UnderOrEqual(PropertyName='accountid',PropertyValue='" + contoso + "')"));
        assertEquals(List.of("Contoso Ltd", "d-3days"), q.apply(F + "NotUnder(PropertyName='accountid',PropertyValue='" + contoso + "')").subList(0, 2));
        assertEquals(List.of("Adventure Works", "Contoso Ltd"), q.apply(F + "Above(PropertyName='accountid',PropertyValue='" + grandchild + "')"));
        assertEquals(List.of("Adventure Works", "Grandchild"), q.apply(F + "AboveOrEqual(PropertyName='accountid',PropertyValue='" + grandchild + "')%20and%20name%20ne%20'Contoso%20Ltd'"));
        Response fx = api.get("accounts?fetchXml=" + java.net.URLEncoder.encode("<fetch><entity name='account'><attribute name='name'/><order attribute='name'/>"
                + "<filter><condition attribute='accountid' operator='under' value='" + contoso + "'/></filter></entity></fetch>", java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(2, fx.json().path("value").size());
        assertEquals(400, api.get("accounts?$filter=" + F + "Under(PropertyName='name',PropertyValue='" + contoso + "')").status());
    }

    @Test
    void fiscalFunctions() {
        // fiscal years start on April 1: on 2025-06-18 the fiscal year is FY2025 (2025-04-01 … 2026-03-31), period 1 (Apr-Jun)
        api.patch("organizations(00000000-0000-0000-0000-00000000000a)", "{\"fiscalcalendarstart\":\"2020-04-01T00:00:00Z\"}");
        assertEquals(List.of("d-3days", "d-in2hours", "d-lastmonth", "d-lastweek", "d-today", "d-tomorrow", "d-yesterday"), names(fn("ThisFiscalPeriod", "")));
        assertEquals(List.of("d-lastyear"), names(fn("LastFiscalYear", "")));
        assertEquals(List.of("d-lastyear"), names(fn("LastFiscalPeriod", "").replace("LastFiscalPeriod", "InFiscalPeriodAndYear").replace(")", ",PropertyValue1=3,PropertyValue2=2024)")));
        assertEquals(7, names(fn("InFiscalYear", ",PropertyValue=2025")).size());
        Response fx = api.get("accounts?fetchXml=" + java.net.URLEncoder.encode("<fetch><entity name='account'><attribute name='name'/>"
                + "<filter><condition attribute='telephone1' operator='eq' value='dates'/><condition attribute='createdon' operator='last-fiscal-year'/></filter></entity></fetch>",
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(1, fx.json().path("value").size());
    }

    @Test
    void multiSelectChoices() {
        assertEquals(204, api.post("contacts", "{\"lastname\":\"ms-email-phone\",\"preferredcontactmethods\":\"2,1\"}").status());
        assertEquals(204, api.post("contacts", "{\"lastname\":\"ms-fax\",\"preferredcontactmethods\":\"3\"}").status());
        assertEquals(204, api.post("contacts", "{\"lastname\":\"ms-none\"}").status());
        JsonNode stored = api.get("contacts?$select=preferredcontactmethods&$filter=lastname%20eq%20'ms-email-phone'",
                "Prefer", "odata.include-annotations=\"*\"").json().path("value").get(0);
        assertEquals("1,2", stored.path("preferredcontactmethods").asText(), "stored in canonical order");
        assertEquals("Email; Phone", stored.path("preferredcontactmethods@OData.Community.Display.V1.FormattedValue").asText());

        assertEquals(List.of("ms-email-phone"), contacts(F + "ContainValues(PropertyName='preferredcontactmethods',PropertyValues=%5B%222%22%5D)"));
        assertEquals(List.of("ms-email-phone", "ms-fax"), contacts(F + "ContainValues(PropertyName='preferredcontactmethods',PropertyValues=%5B%221%22,%223%22%5D)"));
        assertEquals(List.of("ms-fax", "ms-none"), contacts(F + "DoesNotContainValues(PropertyName='preferredcontactmethods',PropertyValues=%5B%221%22%5D)"));
        assertEquals(List.of("ms-email-phone"), contacts("preferredcontactmethods%20eq%20'1,2'"));
        // Microsoft's own spelling: OData string literals inside the array ('' is a quote inside one)
        assertEquals(List.of("ms-email-phone"), contacts(F + "ContainValues(PropertyName='preferredcontactmethods',PropertyValues=%5B'2'%5D)"));
        assertEquals(List.of("ms-email-phone", "ms-fax"), contacts(F + "ContainValues(PropertyName='preferredcontactmethods',PropertyValues=%5B'1',%20'3'%5D)"));
        assertEquals(List.of("ms-fax"), contacts("lastname%20ne%20'PropertyValues=%5B''x''%5D'%20and%20" + F
                + "In(PropertyName='lastname',PropertyValues=%5B'ms-fax','it''s'%5D)"));

        Response fx = api.get("contacts?fetchXml=" + java.net.URLEncoder.encode("<fetch><entity name='contact'><attribute name='lastname'/>"
                + "<filter><condition attribute='preferredcontactmethods' operator='contain-values'><value>3</value></condition></filter></entity></fetch>",
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, fx.status(), fx.body());
        assertEquals(1, fx.json().path("value").size());
        assertEquals("ms-fax", fx.json().path("value").get(0).path("lastname").asText());

        Response unknownOption = api.post("contacts", "{\"lastname\":\"ms-bad\",\"preferredcontactmethods\":\"1,9\"}");
        assertEquals(400, unknownOption.status(), unknownOption.body());
        assertTrue(contacts("lastname%20eq%20'ms-bad'").isEmpty(), "a rejected create stores nothing");
        // EqualUserLanguage compares with the user's language: the organization's (1033 in the fixtures) until set
        assertEquals(204, api.post("accounts", "{\"name\":\"lang-1033\",\"telephone1\":\"lang\",\"numberofemployees\":1033}").status());
        assertEquals(204, api.post("accounts", "{\"name\":\"lang-1036\",\"telephone1\":\"lang\",\"numberofemployees\":1036}").status());
        Response language = api.get("accounts?$select=name&$filter=telephone1%20eq%20'lang'%20and%20" + F + "EqualUserLanguage(PropertyName='numberofemployees')");
        assertEquals(200, language.status(), language.body());
        assertEquals(List.of("lang-1033"), language.json().findValuesAsText("name"));
        String org = api.get("organizations?$select=organizationid").json().path("value").get(0).path("organizationid").asText();
        assertEquals(204, api.patch("organizations(" + org + ")", "{\"languagecode\":1036}").status());
        assertEquals(List.of("lang-1036"), api.get("accounts?$select=name&$filter=telephone1%20eq%20'lang'%20and%20" + F
                + "EqualUserLanguage(PropertyName='numberofemployees')").json().findValuesAsText("name"));
        assertEquals(400, api.get("accounts?$filter=" + F + "EqualUserLanguage(PropertyName='name')").status(), "a text column holds no language code");
    }

    private List<String> contacts(String filter) {
        Response r = api.get("contacts?$select=lastname&$orderby=lastname&$filter=startswith(lastname,'ms-')%20and%20" + filter);
        assertEquals(200, r.status(), filter + ": " + r.body());
        List<String> out = new ArrayList<>();
        r.json().path("value").forEach(v -> out.add(v.path("lastname").asText()));
        return out;
    }

    private List<String> fetchNames(String condition) {
        String xml = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter>"
                + "<condition attribute='telephone1' operator='eq' value='dates'/>" + condition + "</filter></entity></fetch>";
        Response r = api.get("accounts?fetchXml=" + java.net.URLEncoder.encode(xml, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, r.status(), condition + ": " + r.body());
        List<String> out = new ArrayList<>();
        r.json().path("value").forEach(v -> out.add(v.path("name").asText()));
        return out;
    }

    /** Every relative-date function, as an OData function and as its FetchXML operator, against the same exact rows. */
    @Test
    void everyDateOperatorInBothLanguages() {
        List<String> future = List.of("d-in2hours", "d-tomorrow");
        List<String> past = List.of("d-3days", "d-lastmonth", "d-lastweek", "d-lastyear", "d-today", "d-yesterday");
        Object[][] table = {
                // OData function, FetchXML operator, value, rows
                {"Today", "today", null, List.of("d-in2hours", "d-today")},
                {"Yesterday", "yesterday", null, List.of("d-yesterday")},
                {"Tomorrow", "tomorrow", null, List.of("d-tomorrow")},
                {"Last7Days", "last-seven-days", null, List.of("d-3days", "d-today", "d-yesterday")},
                {"Next7Days", "next-seven-days", null, future},
                {"LastWeek", "last-week", null, List.of("d-lastweek")},
                {"ThisWeek", "this-week", null, List.of("d-3days", "d-in2hours", "d-today", "d-tomorrow", "d-yesterday")},
                {"NextWeek", "next-week", null, List.of()},
                {"LastMonth", "last-month", null, List.of("d-lastmonth")},
                {"ThisMonth", "this-month", null, List.of("d-3days", "d-in2hours", "d-lastweek", "d-today", "d-tomorrow", "d-yesterday")},
                {"NextMonth", "next-month", null, List.of()},
                {"LastYear", "last-year", null, List.of("d-lastyear")},
                {"ThisYear", "this-year", null, List.of("d-3days", "d-in2hours", "d-lastmonth", "d-lastweek", "d-today", "d-tomorrow", "d-yesterday")},
                {"NextYear", "next-year", null, List.of()},
                {"On", "on", "2025-06-15", List.of("d-3days")},
                {"OnOrBefore", "on-or-before", "2025-06-10", List.of("d-lastmonth", "d-lastweek", "d-lastyear")},
                {"OnOrAfter", "on-or-after", "2025-06-18", List.of("d-in2hours", "d-today", "d-tomorrow")},
                {"LastXHours", "last-x-hours", "5", List.of("d-today")},
                {"NextXHours", "next-x-hours", "2", List.of("d-in2hours")},
                {"LastXDays", "last-x-days", "3", List.of("d-3days", "d-today", "d-yesterday")},
                {"NextXDays", "next-x-days", "1", future},
                {"LastXWeeks", "last-x-weeks", "1", List.of("d-3days", "d-today", "d-yesterday")},
                {"NextXWeeks", "next-x-weeks", "1", future},
                {"LastXMonths", "last-x-months", "1", List.of("d-3days", "d-lastmonth", "d-lastweek", "d-today", "d-yesterday")},
                {"NextXMonths", "next-x-months", "1", future},
                {"LastXYears", "last-x-years", "1", past},
                {"NextXYears", "next-x-years", "1", future},
                {"OlderThanXMinutes", "olderthan-x-minutes", "60", past},
                {"OlderThanXHours", "olderthan-x-hours", "24", List.of("d-3days", "d-lastmonth", "d-lastweek", "d-lastyear")},
                {"OlderThanXDays", "olderthan-x-days", "5", List.of("d-lastmonth", "d-lastweek", "d-lastyear")},
                {"OlderThanXWeeks", "olderthan-x-weeks", "1", List.of("d-lastmonth", "d-lastweek", "d-lastyear")},
                {"OlderThanXMonths", "olderthan-x-months", "6", List.of("d-lastyear")},
                {"OlderThanXYears", "olderthan-x-years", "1", List.of()},
        };
        for (Object[] row : table) {
            String value = (String) row[2];
            String odataArg = value == null ? "" : value.contains("-") ? ",PropertyValue='" + value + "'" : ",PropertyValue=" + value;
            assertEquals(row[3], names(fn((String) row[0], odataArg)), (String) row[0]);
            String condition = "<condition attribute='createdon' operator='" + row[1] + "'" + (value == null ? "" : " value='" + value + "'") + "/>";
            assertEquals(row[3], fetchNames(condition), (String) row[1]);
        }
    }

    /** The FetchXML comparison and text operators, each against exact rows. */
    @Test
    void everyFetchXmlValueOperator() {
        List<String> all = List.of("d-3days", "d-in2hours", "d-lastmonth", "d-lastweek", "d-lastyear", "d-today", "d-tomorrow", "d-yesterday");
        Object[][] table = {
                {"like", "d-to%", List.of("d-today", "d-tomorrow")},
                {"not-like", "%day%", List.of("d-in2hours", "d-lastmonth", "d-lastweek", "d-lastyear", "d-tomorrow")},
                {"begins-with", "d-last", List.of("d-lastmonth", "d-lastweek", "d-lastyear")},
                {"not-begin-with", "d-last", List.of("d-3days", "d-in2hours", "d-today", "d-tomorrow", "d-yesterday")},
                {"ends-with", "day", List.of("d-today", "d-yesterday")},
                {"not-end-with", "day", List.of("d-3days", "d-in2hours", "d-lastmonth", "d-lastweek", "d-lastyear", "d-tomorrow")},
                {"eq", "d-today", List.of("d-today")},
                {"ne", "d-today", all.stream().filter(n -> !n.equals("d-today")).toList()},
                {"neq", "d-today", all.stream().filter(n -> !n.equals("d-today")).toList()},
                {"gt", "d-t", List.of("d-today", "d-tomorrow", "d-yesterday")},
                {"ge", "d-today", List.of("d-today", "d-tomorrow", "d-yesterday")},
                {"lt", "d-in", List.of("d-3days")},
                {"le", "d-in2hours", List.of("d-3days", "d-in2hours")},
        };
        for (Object[] row : table) {
            assertEquals(row[2], fetchNames("<condition attribute='name' operator='" + row[0] + "' value='" + row[1] + "'/>"), (String) row[0]);
        }
        assertEquals(List.of("d-lastweek", "d-today"), fetchNames("<condition attribute='name' operator='in'><value>d-today</value><value>d-lastweek</value></condition>"));
        assertEquals(6, fetchNames("<condition attribute='name' operator='not-in'><value>d-today</value><value>d-lastweek</value></condition>").size());
        String between = "<value>2025-06-01T00:00:00Z</value><value>2025-06-16T00:00:00Z</value></condition>";
        assertEquals(List.of("d-3days", "d-lastweek"), fetchNames("<condition attribute='createdon' operator='between'>" + between));
        assertEquals(List.of("d-in2hours", "d-lastmonth", "d-lastyear", "d-today", "d-tomorrow", "d-yesterday"),
                fetchNames("<condition attribute='createdon' operator='not-between'>" + between));
        assertEquals(all, fetchNames("<condition attribute='description' operator='null'/>"));
        assertEquals(List.of(), fetchNames("<condition attribute='description' operator='not-null'/>"));
    }

    @Test
    void fiscalDateGroupings() {
        // fiscal years start on April 15: 2025-04-10 still belongs to FY2024 (its fourth quarter)
        api.patch("organizations(00000000-0000-0000-0000-00000000000a)", "{\"fiscalcalendarstart\":\"2020-04-15T00:00:00Z\"}");
        assertEquals(204, api.post("accounts", "{\"name\":\"d-fy2024q4\",\"telephone1\":\"dates\",\"overriddencreatedon\":\"2025-04-10T10:00:00Z\"}").status());
        String xml = "<fetch aggregate='true'><entity name='account'><attribute name='createdon' alias='fy' groupby='true' dategrouping='%s'/>"
                + "<attribute name='accountid' alias='n' aggregate='count'/><filter><condition attribute='telephone1' operator='eq' value='dates'/></filter>"
                + "</entity></fetch>";
        java.util.Map<String, Integer> years = groups(xml.formatted("fiscal-year"));
        assertEquals(java.util.Map.of("FY2024", 2, "FY2025", 7), years);
        java.util.Map<String, Integer> periods = groups(xml.formatted("fiscal-period"));
        assertEquals(java.util.Map.of("Quarter 3 FY2024", 1, "Quarter 4 FY2024", 1, "Quarter 1 FY2025", 7), periods);
        assertEquals(List.of("d-fy2024q4"), fetchNames("<condition attribute='createdon' operator='in-fiscal-period-and-year'><value>4</value><value>2024</value></condition>"),
                "the grouping and the fiscal operators agree");
    }

    private java.util.Map<String, Integer> groups(String xml) {
        Response r = api.get("accounts?fetchXml=" + java.net.URLEncoder.encode(xml, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, r.status(), r.body());
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        r.json().path("value").forEach(g -> out.put(g.path("fy").asText(), g.path("n").asInt()));
        return out;
    }
}
