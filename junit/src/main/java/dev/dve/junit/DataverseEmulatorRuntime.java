package dev.dve.junit;

import dev.dve.server.EmulatorServer;

import java.net.URI;

/**
 * What a test needs to talk to one running emulator: its URLs, a bearer token for each fixture user, the organization's
 * clock and the admin API. The extension injects it into test constructors and methods; {@link #connect(String)}
 * makes one for an emulator started elsewhere.
 */
public final class DataverseEmulatorRuntime {
    private final String baseUrl;
    private final String organizationUrl;
    private final Admin admin;
    private final OrganizationClock clock;
    private final TokenEndpoint tokens;

    DataverseEmulatorRuntime(String baseUrl, String organizationUrl, Admin admin) {
        this.baseUrl = trim(baseUrl);
        this.organizationUrl = trim(organizationUrl);
        this.admin = admin;
        this.clock = new OrganizationClock(admin);
        this.tokens = new TokenEndpoint(this.baseUrl, this.organizationUrl);
    }

    /** An emulator running in this JVM, driven in-process. */
    public static DataverseEmulatorRuntime of(EmulatorServer server) {
        return new DataverseEmulatorRuntime(server.baseUrl(), server.organizationUrl(), new InProcessAdmin(server));
    }

    /**
     * An emulator started elsewhere (the jar, a container) at {@code baseUrl}, its organization URL the same; the admin
     * API is driven over HTTP with the application user's token, so it works whether or not the emulator listens on loopback only.
     */
    public static DataverseEmulatorRuntime connect(String baseUrl) {
        return connect(baseUrl, baseUrl);
    }

    /** The same, for an emulator run with {@code --url organizationUrl}. */
    public static DataverseEmulatorRuntime connect(String baseUrl, String organizationUrl) {
        TokenEndpoint endpoint = new TokenEndpoint(trim(baseUrl), trim(organizationUrl));
        Admin http = new HttpAdmin(baseUrl, () -> endpoint.clientCredentials(FixturePrincipals.APPLICATION_CLIENT_ID, FixturePrincipals.APPLICATION_CLIENT_SECRET));
        return new DataverseEmulatorRuntime(baseUrl, organizationUrl, http);
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Where the emulator listens, e.g. {@code http://localhost:41234}. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return URI.create(baseUrl).getPort();
    }

    /** The organization URL: the audience of its tokens and the scope to ask them for. */
    public String organizationUrl() {
        return organizationUrl;
    }

    /** The Web API root, {@code <organization url>/api/data/v9.2/}. */
    public String webApiUrl() {
        return organizationUrl + "/api/data/v9.2/";
    }

    public String tenantId() {
        return FixturePrincipals.TENANT_ID;
    }

    /** The authority an MSAL client is given, {@code <base url>/<tenant>}. */
    public String authority() {
        return baseUrl + "/" + FixturePrincipals.TENANT_ID;
    }

    /** The v2 token endpoint. */
    public String tokenEndpoint() {
        return tokens.url();
    }

    /** A bearer token for a fixture user ({@code admin@emulator.local}, {@code maker@…}, {@code runner@…}, {@code basic@…}), by the password grant. */
    public String token(String userName) {
        return token(userName, FixturePrincipals.PASSWORD);
    }

    /** A bearer token by the password grant, for a user whose password is not the fixtures' one. */
    public String token(String userName, String password) {
        return tokens.password(userName, password);
    }

    /** A bearer token for the fixtures' application user (System Administrator), by client credentials. */
    public String applicationUserToken() {
        return clientCredentialsToken(FixturePrincipals.APPLICATION_CLIENT_ID, FixturePrincipals.APPLICATION_CLIENT_SECRET);
    }

    /** A bearer token by client credentials. */
    public String clientCredentialsToken(String clientId, String secret) {
        return tokens.clientCredentials(clientId, secret);
    }

    /** The organization's clock. */
    public OrganizationClock clock() {
        return clock;
    }

    /** The admin API. */
    public Admin admin() {
        return admin;
    }
}
