package dev.dve.server.webapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** odata.maxpagesize with @odata.nextLink and a keyset $skiptoken in Dataverse's cookie shape. */
class PagingTest extends EmulatorTest {

    @BeforeEach
    void rows() {
        for (int i = 1; i <= 23; i++) {
            // every third account has no number, to page over nulls too
            String number = i % 3 == 0 ? "" : ",\"accountnumber\":\"N" + String.format("%02d", i % 7) + "\"";
            assertEquals(204, api.post("accounts", "{\"name\":\"Paged " + String.format("%02d", i) + "\",\"telephone1\":\"paging\"" + number + "}").status());
        }
    }

    private List<String> follow(String first, List<String> links) {
        List<String> names = new ArrayList<>();
        String url = first;
        while (url != null) {
            Response r = api.get(url, "Prefer", "odata.maxpagesize=5");
            assertEquals(200, r.status(), r.body());
            assertEquals("odata.maxpagesize=5", r.header("Preference-Applied"));
            JsonNode page = r.json();
            assertTrue(page.path("value").size() <= 5);
            page.path("value").forEach(v -> names.add(v.path("name").asText()));
            url = page.path("@odata.nextLink").isMissingNode() ? null : page.path("@odata.nextLink").asText();
            if (url != null) {
                links.add(url);
            }
        }
        return names;
    }

    @Test
    void pagesCoverEveryRowOnceInOrder() {
        List<String> links = new ArrayList<>();
        List<String> names = follow("accounts?$select=name&$filter=telephone1%20eq%20'paging'&$orderby=name", links);
        assertEquals(23, names.size());
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(String::compareTo);
        assertEquals(sorted, names);
        assertEquals(4, links.size(), "5 pages, the last without a nextLink");
        String link = links.get(0);
        assertTrue(link.startsWith(api.api() + "accounts?"), "absolute, from the request's own base: " + link);
        String token = URLDecoder.decode(link.substring(link.indexOf("$skiptoken=") + 11), StandardCharsets.UTF_8);
        assertTrue(token.startsWith("<cookie pagenumber=\"2\" pagingcookie=\"%253ccookie%2520page%253d%25221%2522%253e"), token);
        assertTrue(token.endsWith("istracking=\"False\" />"), token);
        String inner = URLDecoder.decode(URLDecoder.decode(token.substring(token.indexOf("pagingcookie=\"") + 14, token.indexOf("\" istracking")),
                StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertTrue(inner.contains("<accountid last=\"{") && inner.contains("<name last=\"Paged 05\""), inner);
    }

    @Test
    void pagingOverNullsAndDescendingKeys() {
        List<String> names = follow("accounts?$select=name,accountnumber&$filter=telephone1%20eq%20'paging'&$orderby=accountnumber%20desc,name", new ArrayList<>());
        assertEquals(23, names.size());
        assertEquals(23, names.stream().distinct().count(), "no row twice");
        assertTrue(names.get(names.size() - 1).equals("Paged 21"), "nulls last when descending, then by name: " + names);
    }

    @Test
    void rowsInsertedBetweenPagesNeitherRepeatNorShift() {
        Response first = api.get("accounts?$select=name&$filter=telephone1%20eq%20'paging'&$orderby=name", "Prefer", "odata.maxpagesize=5");
        String next = first.json().path("@odata.nextLink").asText();
        api.post("accounts", "{\"name\":\"Paged 00\",\"telephone1\":\"paging\"}");
        api.post("accounts", "{\"name\":\"Paged 99\",\"telephone1\":\"paging\"}");
        List<String> rest = follow(next, new ArrayList<>());
        assertEquals("Paged 06", rest.get(0), "continues after the last row seen, not after a row count");
        assertFalse(rest.contains("Paged 00"));
        assertTrue(rest.contains("Paged 99"));
    }

    @Test
    void countAndTopWithPaging() {
        Response r = api.get("accounts?$select=name&$filter=telephone1%20eq%20'paging'&$count=true", "Prefer",
                "odata.maxpagesize=10,odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\"");
        assertEquals(23, r.json().path("@odata.count").asInt());
        assertEquals(23, r.json().path("@Microsoft.Dynamics.CRM.totalrecordcount").asInt());
        assertFalse(r.json().path("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded").asBoolean());
        assertFalse(r.json().path("@odata.nextLink").asText().contains("$count"), "the nextLink does not repeat $count");
        Response top = api.get("accounts?$select=name&$filter=telephone1%20eq%20'paging'&$top=3", "Prefer", "odata.maxpagesize=10");
        assertEquals(3, top.json().path("value").size());
        assertTrue(top.json().path("@odata.nextLink").isMissingNode());
        Response bad = api.get("accounts?$select=name&$skiptoken=garbage");
        assertEquals(400, bad.status());
        assertEquals("0x80060888", bad.errorCode());
    }
}
