// @azure/msal-node, unchanged, against the emulator's HTTPS port: the client credentials grant for the application
// user and the password grant for admin@emulator.local, each token then used on the Web API with Node's fetch.
// Trust the emulator's certificate first: NODE_EXTRA_CA_CERTS=<the PEM of GET /admin/tls/certificate>.
//
//   DVE_AUTHORITY  https://localhost:5556/00000000-0000-0000-0000-000000000001 (the emulator's tenant over HTTPS)
//   DVE_ORG_URL    the organization URL the token is for (default: the authority's origin)
//
// Prints one line per check ("ok ..." / "FAIL ...") and exits non-zero when any check fails.
import { ConfidentialClientApplication, PublicClientApplication } from "@azure/msal-node";

const TENANT = "00000000-0000-0000-0000-000000000001";
const authority = process.env.DVE_AUTHORITY ?? `https://localhost:5556/${TENANT}`;
const orgUrl = (process.env.DVE_ORG_URL ?? new URL(authority).origin).replace(/\/+$/, "");
const webApi = `${orgUrl}/api/data/v9.2`;
const APP_CLIENT_ID = "00000000-0000-0000-0000-0000000000a1";
const APP_SECRET = "emulator-admin-secret";
const APP_USER = "00000000-0000-0000-0000-000000000101";
const ADMIN_USER = "00000000-0000-0000-0000-000000000102";
// a public client id, as a desktop tool would send (the emulator names any non-application client this way)
const PUBLIC_CLIENT_ID = "51f81489-12ee-4a9e-aaae-a2591f45987d";

// The configuration a connector uses for a host that is not a Microsoft cloud: the authority (HTTPS), and the
// host named in knownAuthorities so MSAL trusts it without asking login.microsoftonline.com about it.
const auth = { authority, knownAuthorities: [new URL(authority).host] };

let failures = 0;
function check(name, condition, detail = "") {
    if (condition) {
        console.log(`ok   ${name}`);
    } else {
        failures++;
        console.log(`FAIL ${name}${detail ? ": " + detail : ""}`);
    }
}

function claims(jwt) {
    return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
}

async function call(token, method, path, body) {
    const headers = { Authorization: `Bearer ${token}`, Accept: "application/json", "OData-MaxVersion": "4.0", "OData-Version": "4.0" };
    if (body !== undefined) {
        headers["Content-Type"] = "application/json";
    }
    const response = await fetch(`${webApi}/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null, text };
}

async function whoAmI(label, token, expectedUser) {
    const r = await call(token, "GET", "WhoAmI");
    check(`${label}: GET WhoAmI over HTTPS answers 200`, r.status === 200, `${r.status} ${r.text}`);
    check(`${label}: WhoAmI names the signed-in user`, r.json?.UserId === expectedUser, r.json?.UserId);
}

async function main() {
    // 1. client credentials, confidential client
    const confidential = new ConfidentialClientApplication({ auth: { ...auth, clientId: APP_CLIENT_ID, clientSecret: APP_SECRET } });
    const app = await confidential.acquireTokenByClientCredential({ scopes: [`${orgUrl}/.default`] });
    check("client credentials: acquireTokenByClientCredential returns an access token", !!app?.accessToken);
    const appClaims = claims(app.accessToken);
    const audience = new URL([].concat(appClaims.aud)[0]);
    check("client credentials: the token is for the organization's HTTPS URL",
        audience.protocol === "https:" && audience.port === new URL(authority).port, appClaims.aud);
    check("client credentials: the token's issuer is the HTTPS authority", appClaims.iss === `${new URL(authority).origin}/${TENANT}/v2.0`, appClaims.iss);
    await whoAmI("client credentials", app.accessToken, APP_USER);

    const name = `MSAL over HTTPS ${Date.now()}`;
    const created = await call(app.accessToken, "POST", "accounts", { name });
    check("client credentials: POST accounts over HTTPS answers 204", created.status === 204, `${created.status} ${created.text}`);
    const entityId = created.headers.get("OData-EntityId") ?? "";
    const id = /\(([0-9a-f-]{36})\)/i.exec(entityId)?.[1];
    check("client credentials: the created account's URL is an HTTPS one", entityId.startsWith(`${orgUrl}/api/data/`), entityId);
    const read = await call(app.accessToken, "GET", `accounts(${id})?$select=name`);
    check("client credentials: GET the created account answers its name", read.status === 200 && read.json?.name === name, `${read.status} ${read.text}`);

    // 2. password grant, public client (a script or desktop tool signing in as a user)
    const publicClient = new PublicClientApplication({ auth: { ...auth, clientId: PUBLIC_CLIENT_ID } });
    const user = await publicClient.acquireTokenByUsernamePassword({ scopes: [`${orgUrl}/user_impersonation`],
        username: "admin@emulator.local", password: "Passw0rd!" });
    check("password grant: PublicClientApplication.acquireTokenByUsernamePassword returns an access token", !!user?.accessToken);
    check("password grant: MSAL knows the signed-in account", user?.account?.username === "admin@emulator.local", user?.account?.username);
    await whoAmI("password grant", user.accessToken, ADMIN_USER);

    // 3. password grant, confidential client (the application signs a user in)
    const onBehalf = await confidential.acquireTokenByUsernamePassword({ scopes: [`${orgUrl}/user_impersonation`],
        username: "admin@emulator.local", password: "Passw0rd!" });
    check("password grant: ConfidentialClientApplication.acquireTokenByUsernamePassword returns an access token", !!onBehalf?.accessToken);
    await whoAmI("confidential password grant", onBehalf.accessToken, ADMIN_USER);

    // 4. the refresh is silent: MSAL answers from its cache without another sign-in
    const silent = await publicClient.acquireTokenSilent({ account: user.account, scopes: [`${orgUrl}/user_impersonation`] });
    check("silent: acquireTokenSilent returns a token for the signed-in account", !!silent?.accessToken);
}

try {
    await main();
} catch (e) {
    failures++;
    console.log(`FAIL ${e?.errorCode ?? e?.name ?? "error"}: ${e?.errorMessage ?? e?.message ?? e}`);
    if (e?.cause) {
        console.log(`     cause: ${e.cause?.code ?? ""} ${e.cause?.message ?? e.cause}`);
    }
}
console.log(failures === 0 ? "all checks passed" : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
