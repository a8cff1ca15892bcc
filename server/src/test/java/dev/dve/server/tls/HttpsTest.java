package dev.dve.server.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dve.server.EmulatorConfig;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.TrustedCertificate;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTPS port serves what the HTTP port serves, with the certificate published at {@code /admin/tls/certificate};
 * tokens name either form of the organization URL; the OpenID configuration names the scheme it was fetched over.
 * The node listens on all interfaces, so the admin API's guard is on: the certificate must be public all the same.
 */
class HttpsTest extends EmulatorTest {
    private static final String TENANT = "00000000-0000-0000-0000-000000000001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private String pem;
    private SSLContext trust;
    /** Not signed in, over HTTPS, trusting the downloaded PEM. */
    private WebApi https;

    @Override
    protected EmulatorConfig config() {
        EmulatorConfig c = super.config();
        return new EmulatorConfig("0.0.0.0", 0, c.url(), c.db(), c.dbUser(), c.dbPassword(), null, null, null, 0, null)
                .withHttpsPort(EmulatorConfig.ANY_FREE_PORT);
    }

    @BeforeAll
    void trustTheCertificate() {
        pem = anonymous.get("/admin/tls/certificate").body();
        trust = TrustedCertificate.trusting(pem);
        https = new WebApi(server.httpsBaseUrl(), trust);
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response clientCredentials(WebApi over, String resource) {
        return over.postForm("/" + TENANT + "/oauth2/v2.0/token", WebApi.form("grant_type", "client_credentials",
                "client_id", APP_CLIENT_ID, "client_secret", APP_SECRET, "scope", resource + "/.default"));
    }

    @Test
    void theCertificateIsAPublicPemOnBothPorts() throws Exception {
        Response overHttp = anonymous.get("/admin/tls/certificate");
        assertEquals(200, overHttp.status(), overHttp.body());
        assertTrue(overHttp.header("Content-Type").startsWith("application/x-pem-file"), overHttp.header("Content-Type"));
        assertTrue(overHttp.body().startsWith("-----BEGIN CERTIFICATE-----"), overHttp.body());
        assertEquals(401, anonymous.get("/admin/clock").status(), "the rest of the admin API still needs a token");

        Response overHttps = https.get("/admin/tls/certificate");
        assertEquals(200, overHttps.status(), overHttps.body());
        assertEquals(overHttp.body(), overHttps.body());

        X509Certificate published = TrustedCertificate.parse(pem).get(0);
        assertEquals(published, TrustedCertificate.presentedAt(server.httpsBaseUrl() + "/admin/health", trust),
                "the published PEM is the certificate the HTTPS port presents");
        List<String> names = published.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertTrue(names.contains("localhost") && names.contains("127.0.0.1"), names.toString());
        assertTrue(published.getBasicConstraints() >= 0, "its own CA, so clients can trust it as one");
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new WebApi(server.httpsBaseUrl()).get("/admin/health"));
        assertInstanceOf(SSLException.class, refused.getCause());
    }

    @Test
    void tokensAndTheWebApiOverHttps() {
        Response token = clientCredentials(https, server.httpsBaseUrl());
        assertEquals(200, token.status(), token.body());
        String overHttps = token.json().path("access_token").asText();
        JsonNode c = claims(overHttps);
        assertEquals(server.httpsBaseUrl(), c.path("aud").isArray() ? c.path("aud").get(0).asText() : c.path("aud").asText());
        assertEquals(server.httpsBaseUrl() + "/" + TENANT + "/v2.0", c.path("iss").asText());

        WebApi app = https.withToken(overHttps);
        Response me = app.get("WhoAmI");
        assertEquals(200, me.status(), me.body());
        assertEquals("00000000-0000-0000-0000-000000000101", me.json().path("UserId").asText());

        Response created = app.post("accounts", "{\"name\":\"Contoso over TLS\"}");
        assertEquals(204, created.status(), created.body());
        String entityId = created.header("OData-EntityId");
        assertTrue(entityId.startsWith(server.httpsBaseUrl() + "/api/data/v9.2/accounts("), entityId);
        Response read = app.get(entityId);
        assertEquals(200, read.status(), read.body());
        assertEquals("Contoso over TLS", read.json().path("name").asText());

        // either form of the organization URL is this organization: tokens cross over
        assertEquals(200, anonymous.withToken(overHttps).get("WhoAmI").status(), "an HTTPS token on the HTTP port");
        String overHttp = anonymous.clientCredentialsToken(APP_CLIENT_ID, APP_SECRET);
        assertEquals(200, https.withToken(overHttp).get("WhoAmI").status(), "an HTTP token on the HTTPS port");
        Response httpsResourceOverHttp = clientCredentials(anonymous, server.httpsBaseUrl());
        assertEquals(200, httpsResourceOverHttp.status(), httpsResourceOverHttp.body());

        // the password grant over HTTPS, as MSAL's username/password flow sends it
        Response admin = https.withToken(https.passwordToken("admin@emulator.local", "Passw0rd!")).get("WhoAmI");
        assertEquals("00000000-0000-0000-0000-000000000102", admin.json().path("UserId").asText());

        Response foreign = clientCredentials(https, "https://evil.example");
        assertEquals(400, foreign.status(), foreign.body());
        assertEquals("invalid_resource", foreign.json().path("error").asText());
    }

    @Test
    void theOpenIdConfigurationNamesTheSchemeItWasFetchedOver() {
        String port = String.valueOf(server.httpsPort());
        assertEndpoints(https.get("/" + TENANT + "/v2.0/.well-known/openid-configuration").json(), server.httpsBaseUrl(), "/v2.0");
        assertEndpoints(https.get("/emulator/.well-known/openid-configuration").json(), server.httpsBaseUrl(), "");
        assertEndpoints(anonymous.get("/" + TENANT + "/v2.0/.well-known/openid-configuration").json(), server.baseUrl(), "/v2.0");

        // the loopback spelling the client used is kept, so MSAL finds the issuer on the authority it was given
        WebApi numeric = new WebApi("https://127.0.0.1:" + port, trust);
        assertEndpoints(numeric.get("/" + TENANT + "/v2.0/.well-known/openid-configuration").json(), "https://127.0.0.1:" + port, "/v2.0");
        Response token = clientCredentials(numeric, "https://127.0.0.1:" + port);
        assertEquals(200, token.status(), token.body());
        assertEquals("https://127.0.0.1:" + port + "/" + TENANT + "/v2.0", claims(token.json().path("access_token").asText()).path("iss").asText());
        assertEquals(200, https.withToken(token.json().path("access_token").asText()).get("WhoAmI").status());

        // any other host is the caller's to choose and is never echoed
        JsonNode forged = https.get("/" + TENANT + "/v2.0/.well-known/openid-configuration", "Host", "evil.example:" + port).json();
        assertEndpoints(forged, server.httpsBaseUrl(), "/v2.0");

        JsonNode keys = https.get("/" + TENANT + "/discovery/v2.0/keys").json();
        assertTrue(keys.path("keys").path(0).path("kid").asText().length() > 0, keys.toString());
    }

    private static void assertEndpoints(JsonNode config, String base, String version) {
        String tenant = base + "/" + TENANT;
        assertEquals(tenant + version + (version.isEmpty() ? "/" : ""), config.path("issuer").asText(), config.toString());
        assertEquals(tenant + "/oauth2" + version + "/token", config.path("token_endpoint").asText());
        assertEquals(tenant + "/oauth2" + version + "/authorize", config.path("authorization_endpoint").asText());
        assertEquals(tenant + "/discovery" + version + "/keys", config.path("jwks_uri").asText());
    }

    @Test
    void theChallengeOverHttpsNamesTheHttpsAuthority() {
        Response r = https.get("WhoAmI");
        assertEquals(401, r.status(), r.body());
        assertTrue(r.header("WWW-Authenticate").contains("authorization_uri=" + server.httpsBaseUrl() + "/"), r.header("WWW-Authenticate"));
        assertTrue(anonymous.get("WhoAmI").header("WWW-Authenticate").contains("authorization_uri=" + server.baseUrl() + "/"));
    }
}
