package dev.dve.server.reliability;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every statement is bounded in time: an expensive query answers a Dataverse error and gives its connection back. */
class StatementTimeoutTest extends EmulatorTest {

    @Override
    protected EmulatorConfig config() {
        return super.config().withStatementTimeout(Duration.ofMillis(500));
    }

    @Test
    void aQueryPastTheBoundIsStoppedAndTheServerKeepsAnswering() {
        for (int i = 0; i < 150; i++) {
            assertEquals(204, api.post("accounts", "{\"name\":\"slow-" + i + "\"}").status());
        }
        // three self-joins on a column every row shares: ~150^4 combinations to count, far past half a second
        String xml = "<fetch returntotalrecordcount='true' count='5'><entity name='account'><attribute name='name'/>"
                + "<link-entity name='account' from='statecode' to='statecode' alias='b'>"
                + "<link-entity name='account' from='statecode' to='statecode' alias='c'>"
                + "<link-entity name='account' from='statecode' to='statecode' alias='d'/></link-entity></link-entity></entity></fetch>";
        String url = "accounts?fetchXml=" + URLEncoder.encode(xml, StandardCharsets.UTF_8).replace("+", "%20");
        // more slow queries than the pool has connections: each must give its connection back
        for (int i = 0; i < 12; i++) {
            Response r = api.get(url);
            assertEquals(400, r.status(), r.body());
            assertEquals("0x80044151", r.errorCode(), r.body());
            assertTrue(r.errorMessage().startsWith("SQL timeout expired"), r.errorMessage());
        }
        Response fine = api.get("accounts?$select=name&$top=3");
        assertEquals(200, fine.status(), fine.body());
        assertEquals(3, fine.json().path("value").size());
    }
}
