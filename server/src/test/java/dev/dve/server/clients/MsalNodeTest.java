package dev.dve.server.clients;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.NodeClients;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code @azure/msal-node}, unchanged, against the HTTPS port ({@code clients/node/msal.mjs}): it trusts the
 * PEM of {@code /admin/tls/certificate} through {@code NODE_EXTRA_CA_CERTS}, signs in by client credentials and by
 * username and password, and uses each token on the Web API with Node's fetch.
 */
class MsalNodeTest extends EmulatorTest {
    private static final String TENANT = "00000000-0000-0000-0000-000000000001";

    @Override
    protected EmulatorConfig config() {
        return super.config().withHttpsPort(EmulatorConfig.ANY_FREE_PORT);
    }

    @Test
    void msalNodeSignsInOverHttpsAndItsTokensWorkOnTheWebApi() throws Exception {
        Response certificate = anonymous.get("/admin/tls/certificate");
        assertEquals(200, certificate.status(), certificate.body());
        Path pem = Files.createTempFile("dve-", ".pem");
        try {
            Files.writeString(pem, certificate.body());
            NodeClients.Run run = NodeClients.run("msal.mjs", Map.of(
                    "NODE_EXTRA_CA_CERTS", pem.toString(),
                    "DVE_AUTHORITY", server.httpsBaseUrl() + "/" + TENANT,
                    "DVE_ORG_URL", server.httpsBaseUrl()));
            assertEquals(0, run.exitCode(), run.toString());
            for (String check : new String[]{
                    "ok   client credentials: acquireTokenByClientCredential returns an access token",
                    "ok   client credentials: the token's issuer is the HTTPS authority",
                    "ok   client credentials: WhoAmI names the signed-in user",
                    "ok   client credentials: GET the created account answers its name",
                    "ok   password grant: PublicClientApplication.acquireTokenByUsernamePassword returns an access token",
                    "ok   password grant: WhoAmI names the signed-in user",
                    "ok   confidential password grant: WhoAmI names the signed-in user",
                    "ok   silent: acquireTokenSilent returns a token for the signed-in account",
                    "all checks passed"}) {
                assertTrue(run.stdout().contains(check), check + "\n" + run);
            }
        } finally {
            Files.deleteIfExists(pem);
        }
    }
}
