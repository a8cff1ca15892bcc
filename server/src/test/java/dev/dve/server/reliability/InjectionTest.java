package dev.dve.server.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.DataSnapshot;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R6: SQL metacharacters through every query option, every FetchXML attribute, alias and value, keys, entity-set
 * names and headers, sent by a basic user. Nothing changes (a snapshot of every row before and after), nothing answers
 * 5xx, every refusal is a Dataverse error, and no answer holds a row the basic user cannot read.
 */
class InjectionTest extends EmulatorTest {
    static final List<String> PAYLOADS = List.of(
            "'", "''", "\"", "`", ";", "--", "/*", "*/", "\\", "%", "_", "[", "]",
            "' OR '1'='1", "' OR 1=1 --", "\" OR 1=1 --", "` OR 1=1 #",
            "x'; DELETE FROM \"accountbase\"; --", "x\"; DELETE FROM \"accountbase\"; --", "x`; DELETE FROM `accountbase`; #",
            "1); UPDATE accountbase SET name='pwned'; --", "') OR ('a'='a",
            "' UNION SELECT private_key FROM dve_signing_key --", "\" UNION SELECT \"private_key\" FROM \"dve_signing_key\" --",
            "name\" FROM \"accountbase\" t; INSERT INTO \"systemuserrolesbase\" VALUES ('1','2','3'); --",
            "n\", (SELECT COUNT(*) FROM \"dve_signing_key\") AS \"k", "a]; DROP TABLE roles; --",
            "ʼ OR ʼ1ʼ=ʼ1", "＇ OR 1=1 --", "%27%20OR%201%3D1", "\u0000", "x\u0000' OR 1=1", "$(sleep 1)", "${jndi:ldap://x}",
            "SLEEP(5)", "BENCHMARK(10000000,MD5(1))", "1 AND (SELECT 1 FROM (SELECT SLEEP(5))a)", "0x27", "CHAR(39)");

    private Set<String> basicAccountIds;
    private final Map<String, Integer> byChannel = new TreeMap<>();
    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String xmlAttr(String s) {
        return s.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;").replace("\u0000", "");
    }

    private static String odataString(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Sends one attack and checks the answer: no 5xx, errors in Dataverse's shape, no account the caller cannot read. */
    private void attack(String channel, Response r, String request) {
        byChannel.merge(channel, 1, Integer::sum);
        byStatus.merge(r.status(), 1, Integer::sum);
        if (r.status() >= 500) {
            failures.add(channel + " " + request + " → " + r);
        } else if (r.status() >= 400) {
            JsonNode error = r.body().startsWith("{") ? r.json().path("error") : null;
            if (error == null || !error.hasNonNull("code") || !error.hasNonNull("message")) {
                failures.add(channel + " " + request + " → not a Dataverse error: " + r);
            }
        } else if (r.status() == 200 && r.body().startsWith("{") && r.json().has("value") && r.json().path("value").isArray()) {
            for (JsonNode row : r.json().path("value")) {
                if (row.has("accountid") && !basicAccountIds.contains(row.path("accountid").asText())) {
                    failures.add(channel + " " + request + " returned an account the caller cannot read: " + row);
                }
            }
        }
    }

    private void get(WebApi who, String channel, String path) {
        Response r;
        try {
            r = who.get(path);
        } catch (IllegalArgumentException notAUri) {
            // the client refuses to send it; nothing to check
            return;
        }
        attack(channel, r, path);
    }

    @Test
    void metacharactersThroughEveryChannelChangeNothing() {
        WebApi basic = as("basic@emulator.local");
        basicAccountIds = new HashSet<>();
        basic.get("accounts?$select=accountid").json().path("value").forEach(v -> basicAccountIds.add(v.path("accountid").asText()));
        DataSnapshot before = DataSnapshot.take(api);
        long start = System.nanoTime();
        for (String p : PAYLOADS) {
            String e = enc(p);
            String s = enc(odataString(p));
            get(basic, "$filter value", "accounts?$filter=name%20eq%20" + s);
            get(basic, "$filter value", "accounts?$filter=contains(name," + s + ")");
            get(basic, "$filter value", "accounts?$filter=startswith(name," + s + ")%20or%20endswith(name," + s + ")");
            get(basic, "$filter value", "accounts?$filter=primarycontactid/fullname%20eq%20" + s);
            get(basic, "$filter value", "accounts?$filter=Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=[" + enc("\"" + p.replace("\"", "\\\"") + "\"") + "])");
            get(basic, "$filter raw", "accounts?$filter=" + e);
            get(basic, "$filter raw", "accounts?$filter=name%20eq%20'x'" + e);
            get(basic, "$filter property", "accounts?$filter=" + enc("name" + p) + "%20eq%20'x'");
            get(basic, "$filter function", "accounts?$filter=Microsoft.Dynamics.CRM.LastXDays(PropertyName=" + s + ",PropertyValue=3)");
            get(basic, "$orderby", "accounts?$orderby=" + e);
            get(basic, "$orderby", "accounts?$orderby=name%20" + e);
            get(basic, "$select", "accounts?$select=" + e);
            get(basic, "$select", "accounts?$select=name," + e);
            get(basic, "$expand", "accounts?$expand=" + e);
            get(basic, "$expand", "accounts?$expand=primarycontactid($select=" + e + ")");
            get(basic, "$apply", "accounts?$apply=groupby((" + e + "))");
            get(basic, "$apply", "accounts?$apply=aggregate(creditlimit%20with%20sum%20as%20" + e + ")");
            get(basic, "$apply", "accounts?$apply=filter(name%20eq%20" + s + ")/aggregate($count%20as%20n)");
            get(basic, "$top/$skiptoken", "accounts?$top=" + e);
            get(basic, "$top/$skiptoken", "accounts?$skiptoken=" + e);
            get(basic, "key", "accounts(" + e + ")");
            get(basic, "key", "accounts(name=" + s + ")");
            get(basic, "key", "accounts(accountnumber=" + s + ")");
            get(basic, "entity set", e);
            get(basic, "entity set", e + "(00000000-0000-0000-0000-00000000ac01)");
            get(basic, "entity set", "accounts/" + e);
            get(basic, "saved query", "accounts?savedQuery=" + e);
            attack("key write", basic.patch("accounts(" + e + ")", "{\"name\":\"x\"}"), "PATCH accounts(" + p + ")");
            attack("key write", basic.delete("accounts(name=" + s + ")"), "DELETE accounts(name=" + p + ")");
            header(basic, "accounts?$top=1", "MSCRMCallerID", p);
            header(basic, "accounts?$top=1", "Prefer", "odata.maxpagesize=" + p);
            header(basic, "accounts(00000000-0000-0000-0000-00000000ac01)", "If-None-Match", p);
            fetchXml(basic, p);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<String> changed = before.differences(DataSnapshot.take(api));
        int total = byChannel.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("R6 injection: " + PAYLOADS.size() + " payloads, " + total + " requests in " + millis + " ms, " + failures.size() + " bad answers, " + changed.size() + " entity sets changed");
        System.out.println("R6 by channel: " + byChannel);
        System.out.println("R6 by status: " + byStatus);
        failures.forEach(f -> System.out.println("R6 bad answer: " + f));
        assertEquals(List.of(), changed, "entity sets changed by the attacks");
        assertEquals(0, failures.size(), failures.size() + " bad answers; the first: " + (failures.isEmpty() ? "" : failures.get(0)));
    }

    private void header(WebApi who, String path, String name, String value) {
        Response r;
        try {
            r = who.get(path, name, value);
        } catch (IllegalArgumentException notAHeader) {
            // the client refuses to send it (control or non-ASCII characters); nothing to check
            return;
        }
        attack("header", r, name + ": " + value);
    }

    /** Every FetchXML attribute, alias and value slot gets the payload in turn. */
    private void fetchXml(WebApi basic, String payload) {
        String p = xmlAttr(payload);
        List<Function<String, String>> slots = new ArrayList<>();
        slots.add(x -> "<fetch><entity name='" + x + "'><attribute name='name'/></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='" + x + "'/></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name' alias='" + x + "'/></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><order attribute='" + x + "'/></entity></fetch>");
        slots.add(x -> "<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='" + x + "'/></entity></fetch>");
        slots.add(x -> "<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='n'/><order alias='" + x + "'/></entity></fetch>");
        slots.add(x -> "<fetch aggregate='true'><entity name='account'><attribute name='createdon' groupby='true' dategrouping='month' alias='" + x
                + "'/><attribute name='accountid' aggregate='count' alias='n'/></entity></fetch>");
        slots.add(x -> "<fetch aggregate='true'><entity name='account'><attribute name='" + x + "' aggregate='sum' alias='n'/></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='" + x + "' operator='eq' value='1'/></filter></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='eq' value='" + x + "'/></filter></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='like' value='" + x + "'/></filter></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='in'><value>" + x + "</value></condition></filter></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='creditlimit' operator='gt' value='" + x + "'/></filter></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='eq' valueof='" + x + "'/></filter></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><filter><condition attribute='name' operator='" + x + "' value='a'/></filter></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><filter type='" + x + "'/></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' alias='c'/>"
                + "<filter><condition entityname='" + x + "' attribute='fullname' operator='null'/></filter></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><link-entity name='" + x + "' from='contactid' to='primarycontactid'/></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='" + x + "' to='primarycontactid'/></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='" + x + "'/></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' alias='" + x
                + "'><attribute name='fullname'/></link-entity></entity></fetch>");
        slots.add(x -> "<fetch><entity name='account'><attribute name='name'/><link-entity name='contact' from='contactid' to='primarycontactid' link-type='" + x + "'/></entity></fetch>");
        slots.add(x -> "<fetch count='" + x + "'><entity name='account'><attribute name='name'/></entity></fetch>");
        slots.add(x -> "<fetch top='" + x + "'><entity name='account'><attribute name='name'/></entity></fetch>");
        slots.add(x -> "<fetch count='2' page='2' paging-cookie='" + x + "'><entity name='account'><attribute name='name'/></entity></fetch>");
        slots.add(x -> "<fetch distinct='" + x + "'><entity name='account'><attribute name='name'/></entity></fetch>");
        for (Function<String, String> slot : slots) {
            String xml = slot.apply(p);
            get(basic, "fetchxml", "accounts?fetchXml=" + enc(xml));
        }
    }
}
