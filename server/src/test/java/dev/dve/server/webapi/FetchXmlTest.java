package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ?fetchXml=, savedQuery= and userQuery=: the same query model, the same SQL, Dataverse's paging cookie. */
class FetchXmlTest extends EmulatorTest {

    private Response fetch(String set, String xml, String... headers) {
        return api.get(set + "?fetchXml=" + URLEncoder.encode(xml, StandardCharsets.UTF_8).replace("+", "%20"), headers);
    }

    private List<String> names(Response r, String field) {
        assertEquals(200, r.status(), r.body());
        List<String> out = new ArrayList<>();
        r.json().path("value").forEach(v -> out.add(v.path(field).asText()));
        return out;
    }

    @Test
    void attributesFiltersAndOrder() {
        String xml = "<fetch><entity name='account'><attribute name='name'/><attribute name='creditlimit'/><order attribute='name' descending='true'/>"
                + "<filter type='or'><condition attribute='creditlimit' operator='gt' value='30000'/>"
                + "<filter type='and'><condition attribute='name' operator='like' value='Fab%'/><condition attribute='creditonhold' operator='eq' value='1'/></filter>"
                + "</filter></entity></fetch>";
        Response r = fetch("accounts", xml);
        assertEquals(List.of("Fabrikam Inc", "Contoso Ltd", "Adventure Works"), names(r, "name"));
        JsonNode first = r.json().path("value").get(0);
        assertFalse(first.has("telephone1"), "only the attributes asked for");
        assertTrue(first.has("creditlimit"));
        assertEquals(List.of("Adventure Works", "Contoso Ltd"), names(fetch("accounts", "<fetch top='2'><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>"), "name"));
    }

    @Test
    void valueofComparesTwoColumns() {
        api.post("accounts", "{\"name\":\"vo-over\",\"telephone1\":\"valueof\",\"creditlimit\":500,\"revenue\":100}");
        api.post("accounts", "{\"name\":\"vo-under\",\"telephone1\":\"valueof\",\"creditlimit\":50,\"revenue\":100}");
        String head = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter>"
                + "<condition attribute='telephone1' operator='eq' value='valueof'/>";
        assertEquals(List.of("vo-over"), names(fetch("accounts", head + "<condition attribute='creditlimit' operator='gt' valueof='revenue'/></filter></entity></fetch>"), "name"));
        assertEquals(List.of("vo-under"), names(fetch("accounts", head + "<condition attribute='creditlimit' operator='lt' valueof='revenue'/></filter></entity></fetch>"), "name"));
        Response badOperator = fetch("accounts", head + "<condition attribute='creditlimit' operator='like' valueof='revenue'/></filter></entity></fetch>");
        assertEquals(400, badOperator.status(), badOperator.body());
        Response badType = fetch("accounts", head + "<condition attribute='name' operator='eq' valueof='revenue'/></filter></entity></fetch>");
        assertEquals(400, badType.status(), badType.body());
    }

    @Test
    void conditionOperators() {
        assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), names(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/>"
                + "<filter><condition attribute='accountnumber' operator='in'><value>ACC-001</value><value>ACC-002</value></condition></filter></entity></fetch>"), "name"));
        assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), names(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/>"
                + "<filter><condition attribute='numberofemployees' operator='between'><value>10</value><value>300</value></condition></filter></entity></fetch>"), "name"));
        assertEquals(List.of("Adventure Works", "Fabrikam Inc"), names(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/>"
                + "<filter><condition attribute='telephone1' operator='ne' value='555-0100'/></filter></entity></fetch>"), "name"), "ne keeps nulls");
        assertEquals(List.of("Adventure Works"), names(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/>"
                + "<filter><condition attribute='telephone1' operator='null'/></filter></entity></fetch>"), "name"));
        assertEquals(List.of("Adventure Works"), names(as("basic@emulator.local").get("accounts?fetchXml=" + URLEncoder.encode(
                "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='ownerid' operator='eq-userid'/></filter></entity></fetch>",
                StandardCharsets.UTF_8).replace("+", "%20")), "name"));
        assertEquals(3, names(fetch("accounts", "<fetch><entity name='account'><attribute name='name'/>"
                + "<filter><condition attribute='createdon' operator='last-x-days' value='2'/></filter></entity></fetch>"), "name").size());
    }

    @Test
    void linkEntities() {
        String inner = "<fetch><entity name='contact'><attribute name='fullname'/><order attribute='fullname'/>"
                + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='acc'><attribute name='name'/>"
                + "<filter><condition attribute='creditonhold' operator='eq' value='0'/></filter></link-entity></entity></fetch>";
        Response r = fetch("contacts", inner);
        assertEquals(List.of("Nancy Anderson", "Yvonne McKay"), names(r, "fullname"));
        assertEquals("Adventure Works", r.json().path("value").get(0).path("acc.name").asText(), "linked columns are named alias.column");
        api.post("contacts", "{\"lastname\":\"Loner\"}");
        String outer = inner.replace("alias='acc'", "alias='acc' link-type='outer'");
        Response o = fetch("contacts", outer);
        List<String> all = names(o, "fullname");
        assertTrue(all.contains("Loner") && all.contains("Susanna Stubberod"), all.toString());
        JsonNode loner = o.json().path("value").get(all.indexOf("Loner"));
        assertFalse(loner.has("acc.name"), "null columns are left out of FetchXML results");
    }

    @Test
    void matchFirstRowTakesAtMostOneLinkedRow() {
        String contoso = "00000000-0000-0000-0000-00000000ac01";
        api.post("contacts", "{\"lastname\":\"Zed\",\"jobtitle\":\"Buyer\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + contoso + ")\"}");
        api.post("accounts", "{\"name\":\"No Contacts Inc\"}");
        String link = "<link-entity name='contact' from='parentcustomerid' to='accountid' alias='c' link-type='%s'><attribute name='lastname'/>%s</link-entity>";
        String xml = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/>%s</entity></fetch>";
        List<String> outer = names(fetch("accounts", xml.formatted(link.formatted("outer", ""))), "name");
        assertEquals(2, outer.stream().filter("Contoso Ltd"::equals).count(), "an outer join repeats Contoso for its two contacts");

        Response first = fetch("accounts", xml.formatted(link.formatted("matchfirstrowusingcrossapply", "")));
        assertEquals(List.of("Adventure Works", "Contoso Ltd", "Fabrikam Inc", "No Contacts Inc"), names(first, "name"), "each account once, unmatched ones kept");
        JsonNode contosoRow = first.json().path("value").get(1);
        assertTrue(List.of("McKay", "Zed").contains(contosoRow.path("c.lastname").asText()), contosoRow.toString());
        assertFalse(first.json().path("value").get(3).has("c.lastname"), "no contact, no linked columns");

        Response buyers = fetch("accounts", xml.formatted(link.formatted("matchfirstrowusingcrossapply",
                "<filter><condition attribute='jobtitle' operator='eq' value='Buyer'/></filter>")));
        assertEquals(4, buyers.json().path("value").size(), buyers.body());
        assertEquals("Zed", buyers.json().path("value").get(1).path("c.lastname").asText(), "the link's filter chooses the row");
    }

    @Test
    void orderByLinkedColumns() {
        String link = "<link-entity name='account' from='accountid' to='parentcustomerid' alias='acc'><attribute name='name'/>%s</link-entity>";
        Response inLink = fetch("contacts", "<fetch><entity name='contact'><attribute name='fullname'/>"
                + link.formatted("<order attribute='name' descending='true'/>") + "</entity></fetch>");
        assertEquals(List.of("Susanna Stubberod", "Yvonne McKay", "Nancy Anderson"), names(inLink, "fullname"), "Fabrikam, Contoso, Adventure Works");
        Response atRoot = fetch("contacts", "<fetch><entity name='contact'><attribute name='fullname'/><order entityname='acc' attribute='name'/>"
                + link.formatted("") + "</entity></fetch>");
        assertEquals(List.of("Nancy Anderson", "Yvonne McKay", "Susanna Stubberod"), names(atRoot, "fullname"));

        String paged = "<fetch count='2' page='%d'%s><entity name='contact'><attribute name='fullname'/>"
                + link.formatted("<order attribute='name'/>") + "</entity></fetch>";
        Response first = fetch("contacts", paged.formatted(1, ""), "Prefer", "odata.include-annotations=\"*\"");
        assertEquals(List.of("Nancy Anderson", "Yvonne McKay"), names(first, "fullname"));
        String cookie = first.json().path("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie").asText();
        String inner = java.net.URLDecoder.decode(java.net.URLDecoder.decode(cookie.substring(cookie.indexOf("pagingcookie=\"") + 14, cookie.indexOf("\" istracking")),
                StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        String escaped = inner.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        assertEquals(List.of("Susanna Stubberod"), names(fetch("contacts", paged.formatted(2, " paging-cookie=\"" + escaped + "\"")), "fullname"));
        assertEquals(List.of("Susanna Stubberod"), names(fetch("contacts", paged.formatted(2, "")), "fullname"), "page numbers alone work too");

        Response unknownAlias = fetch("contacts", "<fetch><entity name='contact'><order entityname='nope' attribute='name'/></entity></fetch>");
        assertEquals(400, unknownAlias.status(), unknownAlias.body());
    }

    @Test
    void aggregatesOverLinkedColumnsAndTheRecordLimit() {
        Response byAccount = fetch("contacts", "<fetch aggregate='true'><entity name='contact'><attribute name='contactid' alias='n' aggregate='count'/>"
                + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='acc'><attribute name='name' alias='account' groupby='true'/>"
                + "<attribute name='numberofemployees' alias='staff' aggregate='sum'/></link-entity><order alias='account'/></entity></fetch>");
        assertEquals(200, byAccount.status(), byAccount.body());
        JsonNode groups = byAccount.json().path("value");
        assertEquals(List.of("Adventure Works", "Contoso Ltd", "Fabrikam Inc"), List.of(groups.get(0).path("account").asText(),
                groups.get(1).path("account").asText(), groups.get(2).path("account").asText()));
        assertEquals(1, groups.get(1).path("n").asInt());
        assertEquals(250, groups.get(1).path("staff").asInt(), "Contoso's employees, once for its one contact");

        String counting = "<fetch aggregate='true'%s><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>";
        Response limited = fetch("accounts", counting.formatted(" aggregatelimit='2'"));
        assertEquals(400, limited.status(), limited.body());
        assertEquals("0x8004e023", limited.errorCode().toLowerCase());
        assertEquals("AggregateQueryRecordLimit exceeded. Cannot perform this operation.", limited.errorMessage());
        assertEquals(3, fetch("accounts", counting.formatted(" aggregatelimit='3'")).json().path("value").get(0).path("n").asInt());
        assertEquals(400, fetch("accounts", counting.formatted(" aggregatelimit='60000'")).status(), "the limit cannot be raised");
    }

    @Test
    void aggregateOrderByAlias() {
        Response r = fetch("accounts", "<fetch aggregate='true'><entity name='account'>"
                + "<attribute name='ownerid' alias='owner' groupby='true'/><attribute name='accountid' alias='n' aggregate='count'/>"
                + "<order alias='n' descending='true'/></entity></fetch>");
        assertEquals(200, r.status(), r.body());
        JsonNode groups = r.json().path("value");
        assertTrue(groups.size() >= 2, groups.toString());
        for (int i = 1; i < groups.size(); i++) {
            assertTrue(groups.get(i - 1).path("n").asInt() >= groups.get(i).path("n").asInt(), "largest group first: " + groups);
        }
        Response byGroup = fetch("accounts", "<fetch aggregate='true'><entity name='account'>"
                + "<attribute name='creditonhold' alias='hold' groupby='true'/><attribute name='accountid' alias='n' aggregate='count'/>"
                + "<order alias='hold' descending='true'/></entity></fetch>");
        assertEquals(200, byGroup.status(), byGroup.body());
        assertEquals(true, byGroup.json().path("value").get(0).path("hold").asBoolean());
        assertEquals(400, fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/>"
                + "<order attribute='name'/></entity></fetch>").status(), "aggregate queries order by alias");
        assertEquals(400, fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/>"
                + "<order alias='nope'/></entity></fetch>").status());
    }

    @Test
    void pagingCookieAndMoreRecords() {
        String xml = "<fetch count='2' page='1' returntotalrecordcount='true'><entity name='contact'><attribute name='fullname'/><order attribute='fullname'/></entity></fetch>";
        Response first = fetch("contacts", xml, "Prefer", "odata.include-annotations=\"*\"");
        assertEquals(List.of("Nancy Anderson", "Susanna Stubberod"), names(first, "fullname"));
        assertEquals(3, first.json().path("@Microsoft.Dynamics.CRM.totalrecordcount").asInt());
        assertTrue(first.json().path("@Microsoft.Dynamics.CRM.morerecords").asBoolean());
        String cookie = first.json().path("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie").asText();
        assertTrue(cookie.startsWith("<cookie pagenumber=\"2\" pagingcookie=\"%253ccookie%2520page%253d%25221%2522%253e%253cfullname%2520last%253d%2522Susanna"), cookie);
        String inner = java.net.URLDecoder.decode(java.net.URLDecoder.decode(cookie.substring(cookie.indexOf("pagingcookie=\"") + 14, cookie.indexOf("\" istracking")),
                StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        String escaped = inner.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        Response second = fetch("contacts", xml.replace("page='1'", "page='2' paging-cookie='" + escaped + "'"), "Prefer", "odata.include-annotations=\"*\"");
        assertEquals(List.of("Yvonne McKay"), names(second, "fullname"));
        assertFalse(second.json().has("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"), "no cookie on the last page");
        assertFalse(second.json().has("@Microsoft.Dynamics.CRM.morerecords"));
        assertEquals(List.of("Yvonne McKay"), names(fetch("contacts", xml.replace("page='1'", "page='2'")), "fullname"), "simple paging without a cookie");
    }

    @Test
    void savedAndUserViews() {
        assertEquals(List.of("Adventure Works", "Contoso Ltd", "Fabrikam Inc"),
                names(api.get("accounts?savedQuery=00000000-0000-0000-0000-0000000a1e04"), "name"));
        String mine = as("basic@emulator.local").post("userqueries", "{\"name\":\"Mine\",\"returnedtypecode\":\"account\",\"fetchxml\":"
                + "\"<fetch><entity name='account'><attribute name='name'/></entity></fetch>\"}", "Prefer", "return=representation").json().path("userqueryid").asText();
        assertEquals(List.of("Adventure Works"), names(as("basic@emulator.local").get("accounts?userQuery=" + mine), "name"), "the view runs as its caller");
        assertEquals(403, as("runner@emulator.local").get("accounts?userQuery=" + mine).status(), "another user's saved view is not readable");
        assertEquals(400, api.get("contacts?savedQuery=00000000-0000-0000-0000-0000000a1e04").status(), "the view returns accounts");
        assertEquals(0, names(api.get("asyncoperations?savedQuery=00000000-0000-0000-0000-0000000a1e03"), "name").size());
    }

    @Test
    void invalidFetchXmlIsAQueryErrorNever500() {
        String[] bad = {"not xml", "<fetch><entity name='nosuch'/></fetch>", "<fetch><entity name='account'><attribute name='nosuch'/></entity></fetch>",
                "<fetch><entity name='account'><filter><condition attribute='name' operator='sparkles' value='x'/></filter></entity></fetch>",
                "<fetch><entity name='account'><filter><condition attribute='numberofemployees' operator='eq' value='many'/></filter></entity></fetch>",
                "<fetch top='5' count='2'><entity name='account'/></fetch>", "<fetch><entity name='contact'/></fetch>",
                "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><fetch><entity name='account'/></fetch>"};
        for (String x : bad) {
            Response r = fetch("accounts", x);
            assertEquals(400, r.status(), x + " -> " + r.body());
            assertEquals("0x80060888", r.errorCode(), x);
        }
    }

    @Test
    void aggregateFetch() {
        Response r = fetch("accounts", "<fetch aggregate='true'><entity name='account'>"
                + "<attribute name='creditonhold' alias='hold' groupby='true'/><attribute name='accountid' alias='n' aggregate='count'/>"
                + "<attribute name='revenue' alias='total' aggregate='sum'/><attribute name='customertypecode' alias='kinds' aggregate='countcolumn' distinct='true'/>"
                + "</entity></fetch>");
        assertEquals(200, r.status(), r.body());
        JsonNode groups = r.json().path("value");
        assertEquals(2, groups.size());
        JsonNode open = groups.get(0);
        assertEquals(false, open.path("hold").asBoolean());
        assertEquals(2, open.path("n").asInt());
        assertEquals(0, new java.math.BigDecimal("11000000").compareTo(open.path("total").decimalValue()));
        assertEquals(2, open.path("kinds").asInt());
        Response whole = fetch("accounts", "<fetch aggregate='true'><entity name='account'>"
                + "<attribute name='numberofemployees' alias='least' aggregate='min'/><attribute name='numberofemployees' alias='most' aggregate='max'/>"
                + "<attribute name='numberofemployees' alias='mean' aggregate='avg'/><attribute name='telephone1' alias='phones' aggregate='countcolumn'/>"
                + "</entity></fetch>");
        assertEquals(200, whole.status(), whole.body());
        JsonNode w = whole.json().path("value").get(0);
        assertEquals(40, w.path("least").asInt());
        assertEquals(1200, w.path("most").asInt());
        assertEquals(0, new java.math.BigDecimal("496.67").compareTo(w.path("mean").decimalValue().setScale(2, java.math.RoundingMode.HALF_UP)), w.toString());
        assertEquals(2, w.path("phones").asInt(), "countcolumn counts non-null values");
        assertEquals(400, fetch("accounts", "<fetch aggregate='true'><entity name='account'><attribute name='name'/></entity></fetch>").status(),
                "an aggregate query's attributes need an alias");
    }

    @Test
    void dateGrouping() {
        for (String when : new String[]{"2024-02-10T10:00:00Z", "2024-02-20T10:00:00Z", "2024-07-01T10:00:00Z", "2025-01-05T10:00:00Z"}) {
            api.post("tasks", "{\"subject\":\"dated\",\"overriddencreatedon\":\"" + when + "\"}");
        }
        Response r = fetch("tasks", "<fetch aggregate='true'><entity name='task'>"
                + "<attribute name='createdon' alias='y' groupby='true' dategrouping='year'/><attribute name='createdon' alias='m' groupby='true' dategrouping='month'/>"
                + "<attribute name='activityid' alias='n' aggregate='count'/><filter><condition attribute='subject' operator='eq' value='dated'/></filter></entity></fetch>");
        assertEquals(200, r.status(), r.body());
        JsonNode g = r.json().path("value");
        assertEquals(3, g.size());
        assertEquals(2024, g.get(0).path("y").asInt());
        assertEquals(2, g.get(0).path("m").asInt());
        assertEquals(2, g.get(0).path("n").asInt());
        assertEquals(2025, g.get(2).path("y").asInt());
    }

    @Test
    void entityNameConditionsAndFilterLinkTypes() {
        api.post("contacts", "{\"lastname\":\"Loner\"}");
        // after an outer join: contacts whose account is missing or on credit hold
        Response outer = fetch("contacts", "<fetch><entity name='contact'><attribute name='fullname'/><order attribute='fullname'/>"
                + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='a' link-type='outer'/>"
                + "<filter type='or'><condition entityname='a' attribute='accountid' operator='null'/><condition entityname='a' attribute='creditonhold' operator='eq' value='1'/></filter>"
                + "</entity></fetch>");
        assertEquals(List.of("Loner", "Susanna Stubberod"), names(outer, "fullname"));
        // accounts with at least one contact whose job title is Owner / with none / whose contacts all are engineers
        String any = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter>"
                + "<link-entity name='contact' from='parentcustomerid' to='accountid' link-type='%s'><filter><condition attribute='jobtitle' operator='eq' value='%s'/></filter></link-entity>"
                + "</filter></entity></fetch>";
        assertEquals(List.of("Fabrikam Inc"), names(fetch("accounts", String.format(any, "any", "Owner")), "name"));
        assertEquals(List.of("Adventure Works", "Contoso Ltd"), names(fetch("accounts", String.format(any, "not any", "Owner")), "name"));
        assertEquals(List.of("Adventure Works"), names(fetch("accounts", String.format(any, "all", "Engineer")), "name"));
        assertEquals(List.of("Contoso Ltd", "Fabrikam Inc"), names(fetch("accounts", String.format(any, "not all", "Engineer")), "name"));
        String exists = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/>"
                + "<link-entity name='contact' from='parentcustomerid' to='accountid' link-type='exists'><filter><condition attribute='jobtitle' operator='like' value='%Manager'/></filter></link-entity>"
                + "</entity></fetch>";
        assertEquals(List.of("Contoso Ltd"), names(fetch("accounts", exists), "name"));
    }
}
