package dev.dve.junit;

import dev.dve.server.EmulatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An emulator that is not on loopback only guards its admin API: {@link HttpAdmin} without a token is refused, with a
 * basic user's token too, and {@link DataverseEmulatorRuntime#connect} signs in as the application user by itself.
 */
class RemoteEmulatorTest {
    @RegisterExtension
    static DataverseEmulatorExtension guarded = DataverseEmulatorExtension.builder()
            .configure(c -> new EmulatorConfig("0.0.0.0", 0, c.url(), c.db(), c.dbUser(), c.dbPassword(), null, null, null, 0, null))
            .build();

    @Test
    void theAdminApiNeedsASystemAdministratorsToken(DataverseEmulatorRuntime dve) {
        AdminException anonymous = assertThrows(AdminException.class, () -> new HttpAdmin(dve.baseUrl()).clock());
        assertEquals(401, anonymous.status());
        AdminException basic = assertThrows(AdminException.class, () -> new HttpAdmin(dve.baseUrl(), dve.token(FixturePrincipals.BASIC)).freezeClock(true));
        assertEquals(403, basic.status());
        assertEquals("0x80040220", basic.errorCode());
        assertTrue(new HttpAdmin(dve.baseUrl()).health().healthy(), "health stays open");
        assertEquals(false, dve.admin().clock().frozen(), "the refusals changed nothing");
    }

    @Test
    void connectDrivesItWithTheApplicationUser(DataverseEmulatorRuntime dve) {
        DataverseEmulatorRuntime remote = DataverseEmulatorRuntime.connect(dve.baseUrl());
        Instant nine = Instant.parse("2026-03-02T09:00:00Z");
        assertEquals(nine, remote.clock().freezeAt(nine));
        assertEquals(nine, dve.admin().now(), "the same emulator");
        assertEquals(dve.webApiUrl(), remote.webApiUrl());
        assertEquals(201, new WebApiClient(remote, remote.token(FixturePrincipals.ADMIN)).post("accounts", "{\"name\":\"Remote\"}").status());
        assertTrue(remote.admin().reset() > 0);
    }
}
