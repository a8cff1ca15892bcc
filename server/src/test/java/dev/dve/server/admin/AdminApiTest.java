package dev.dve.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminApiTest extends EmulatorTest {

    @Test
    void healthAnswers200() {
        Response r = api.get("/admin/health");
        assertEquals(200, r.status());
        assertEquals("Healthy", r.json().path("status").asText());
    }

    @Test
    void frozenClockStandsStillAndAdvancesOnRequest() throws Exception {
        JsonNode set = api.post("/admin/clock", "{\"set\":\"2024-02-29T12:00:00Z\",\"freeze\":true}").expect(200).json();
        assertEquals("2024-02-29T12:00:00Z", set.path("now").asText());
        assertTrue(set.path("frozen").asBoolean());
        Thread.sleep(20);
        assertEquals("2024-02-29T12:00:00Z", api.get("/admin/clock").json().path("now").asText());
        assertEquals("2024-02-29T12:00:36Z", api.post("/admin/clock", "{\"advance\":\"PT36S\"}").expect(200).json().path("now").asText());
        String id = api.post("tasks", "{\"subject\":\"Timed\"}", "Prefer", "return=representation").expect(201).json().path("activityid").asText();
        assertEquals("2024-02-29T12:00:36Z", api.get("tasks(" + id + ")?$select=createdon").json().path("createdon").asText());
    }

    @Test
    void unfrozenClockRunsOnFromWhereItWasSet() {
        api.post("/admin/clock", "{\"set\":\"2031-05-05T00:00:00Z\",\"freeze\":false}").expect(200);
        Instant now = Instant.parse(api.get("/admin/clock").json().path("now").asText());
        assertFalse(api.get("/admin/clock").json().path("frozen").asBoolean());
        assertTrue(Duration.between(Instant.parse("2031-05-05T00:00:00Z"), now).abs().toSeconds() < 60, now.toString());
    }

    @Test
    void badClockRequestsAreRefusedAndChangeNothing() {
        api.post("/admin/clock", "{\"set\":\"2024-01-01T00:00:00Z\",\"freeze\":true}").expect(200);
        for (String body : new String[]{"{}", "{\"advance\":\"soon\"}", "{\"advance\":\"-PT1S\"}", "{\"set\":\"yesterday\"}", "{\"freeze\":\"yes\"}", "not json"}) {
            Response r = api.post("/admin/clock", body);
            assertEquals(400, r.status(), body + " -> " + r.body());
            assertTrue(r.errorCode().startsWith("0x"), r.body());
        }
        assertEquals("2024-01-01T00:00:00Z", api.get("/admin/clock").json().path("now").asText());
        assertEquals(404, api.get("/admin/nothing").status());
        assertEquals(405, api.get("/admin/reset").status());
    }

    @Test
    void resetRestoresTheFixtures() {
        String id = api.post("accounts", "{\"name\":\"Temporary\"}", "Prefer", "return=representation").expect(201).json().path("accountid").asText();
        api.patch("accounts(00000000-0000-0000-0000-00000000ac01)", "{\"name\":\"Renamed\"}").expect(204);
        api.delete("contacts(00000000-0000-0000-0000-00000000c002)").expect(204);
        api.post("/admin/clock", "{\"set\":\"2020-01-01T00:00:00Z\",\"freeze\":true}").expect(200);

        Response r = api.post("/admin/reset", "{}");
        assertEquals(200, r.status());
        assertTrue(r.json().path("records").asInt() > 10);
        assertEquals(404, api.get("accounts(" + id + ")").status());
        assertEquals("Contoso Ltd", api.get("accounts(00000000-0000-0000-0000-00000000ac01)?$select=name").json().path("name").asText());
        assertEquals(200, api.get("contacts(00000000-0000-0000-0000-00000000c002)").status());
        assertFalse(api.get("/admin/clock").json().path("frozen").asBoolean());
    }
}
