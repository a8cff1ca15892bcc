package dev.dve.server.webapi;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad request gets a Dataverse error body with the right status, and changes nothing. */
class BadInputTest extends EmulatorTest {
    private static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";

    private int accountCount() {
        return Integer.parseInt(api.get("accounts/$count").body().trim());
    }

    private void assertRefused(Response r, int status, String code, String messagePart) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.errorCode(), r.body());
        assertTrue(r.errorMessage().contains(messagePart), r.errorMessage());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
    }

    @Test
    void malformedJson() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\": \"x\""), 400, "0x80048d19", "Error identified in Payload");
        assertRefused(api.post("accounts", "[1,2]"), 400, "0x80048d19", "JSON object");
        assertEquals(before, accountCount());
    }

    @Test
    void unknownAttribute() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"nosuchfield\":1}"), 400, "0x80048d19",
                "The property 'nosuchfield' does not exist on type 'Microsoft.Dynamics.CRM.account'");
        assertEquals(before, accountCount());
    }

    @Test
    void wrongType() {
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"numberofemployees\":\"many\"}"), 400, "0x80048d19",
                "Cannot convert the literal 'many' to the expected type 'Edm.Int32'");
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"creditonhold\":1}"), 400, "0x80048d19", "Edm.Boolean");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"name\":42}"), 400, "0x80048d19", "Edm.String");
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void invalidOptionSetValue() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"customertypecode\":99}"), 400, "0x80044331",
                "The value 99 of 'customertypecode' on record of type 'account' is outside the valid range");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"statecode\":0,\"statuscode\":2}"), 400, "0x80048408", "not a valid status code");
        assertEquals(before, accountCount());
        assertEquals(1, api.get("accounts(" + CONTOSO + ")?$select=statuscode").json().path("statuscode").asInt());
    }

    @Test
    void textTooLongAndNumberOutOfRange() {
        assertRefused(api.post("accounts", "{\"name\":\"" + "n".repeat(161) + "\"}"), 400, "0x80044331",
                "The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'");
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"numberofemployees\":-1}"), 400, "0x80044331", "outside the valid range");
    }

    @Test
    void invalidGuid() {
        assertRefused(api.get("accounts(not-a-guid)"), 400, "0x80060888", "");
        assertRefused(api.post("contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/accounts(123)\"}"), 400,
                "0x80048d19", "not a valid entity id");
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"accountid\":\"12345\"}"), 400, "0x80048d19", "Edm.Guid");
    }

    @Test
    void bindingToAMissingRecord() {
        int before = Integer.parseInt(api.get("contacts/$count").body().trim());
        assertRefused(api.post("contacts", "{\"lastname\":\"x\",\"parentcustomerid_account@odata.bind\":\"/accounts(00000000-0000-0000-0000-0000000fffff)\"}"),
                404, "0x80040217", "account With Id = 00000000-0000-0000-0000-0000000fffff Does Not Exist");
        assertEquals(before, Integer.parseInt(api.get("contacts/$count").body().trim()));
    }

    @Test
    void missingRequiredAttribute() {
        int before = Integer.parseInt(api.get("workflows/$count").body().trim());
        assertRefused(api.post("workflows", "{\"category\":0,\"primaryentity\":\"account\",\"xaml\":\"<Activity/>\"}"), 400,
                "0x80040200", "Attribute 'name' of entity 'workflow' cannot be NULL");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"ownerid@odata.bind\":null}"), 400, "0x80040200", "ownerid");
        assertEquals(before, Integer.parseInt(api.get("workflows/$count").body().trim()));
    }

    @Test
    void readOnlyAttributesAreRefused() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"createdon\":\"2020-01-01T00:00:00Z\"}"), 400, "0x80040203", "createdon");
        assertRefused(api.post("accounts", "{\"name\":\"x\",\"_ownerid_value\":\"" + CONTOSO + "\"}"), 400, "0x80048d19", "Navigation properties");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"versionnumber\":5}"), 400, "0x80040203", "versionnumber");
        assertEquals(before, accountCount());
    }

    @Test
    void unknownEntitySetAndMissingRow() {
        assertRefused(api.get("nosuchthings"), 404, "0x8006088a", "Resource not found for the segment 'nosuchthings'.");
        assertRefused(api.get("accounts(00000000-0000-0000-0000-0000000fffff)"), 404, "0x80040217",
                "account With Id = 00000000-0000-0000-0000-0000000fffff Does Not Exist");
        assertRefused(api.patch("accounts(00000000-0000-0000-0000-0000000fffff)", "{\"name\":\"x\"}", "If-Match", "*"), 404, "0x80040217", "Does Not Exist");
        assertRefused(api.get("/api/data/vX/accounts"), 404, "0x8006088a", "Resource not found");
    }

    @Test
    void badQueryOptions() {
        assertRefused(api.get("accounts?$filter=nosuch%20eq%201"), 400, "0x80060888", "Could not find a property named 'nosuch'");
        assertRefused(api.get("accounts?$select=nosuch"), 400, "0x80060888", "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.account'");
        assertRefused(api.get("accounts?$filter=name%20eq"), 400, "0x80060888", "");
        assertRefused(api.get("accounts?$skip=1"), 400, "0x80060888", "$skip is not supported");
        assertRefused(api.get("accounts?$orderby=nosuch"), 400, "0x80060888", "nosuch");
    }

    @Test
    void putOnARecordIsNotAllowed() {
        assertRefused(api.put("accounts(" + CONTOSO + ")", "{\"name\":\"x\"}"), 405, "0x80060888", "PUT");
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void duplicateIdOnCreate() {
        assertRefused(api.post("accounts", "{\"name\":\"dup\",\"accountid\":\"" + CONTOSO + "\"}"), 412, "0x80040237",
                "A record with matching key values already exists.");
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void queriesThatCannotRunAreQueryErrorsNotServerErrors() {
        assertRefused(api.get("accounts?$apply=groupby((name),aggregate(name%20with%20sum%20as%20s))"), 400, "0x80060888", "cannot be applied");
        assertRefused(api.get("accounts?fetchXml=" + java.net.URLEncoder.encode("<fetch aggregate='true'><entity name='account'>"
                + "<attribute name='creditlimit' alias='x' aggregate='sum'/><attribute name='revenue' alias='x' aggregate='max'/></entity></fetch>",
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")), 400, "0x80060888", "used more than once");
        assertRefused(api.get("accounts?fetchXml=" + java.net.URLEncoder.encode("<fetch><entity name='account'>"
                + "<link-entity name='contact' from='fullname' to='creditlimit'/></entity></fetch>",
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")), 400, "0x80060888", "their types differ");
        assertRefused(api.get("accounts(" + CONTOSO + ")/nosuch"), 400, "0x80060888", "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.account'");
        // an unknown function inside $filter is a bad query (as Dataverse's parser says); in the path, a missing segment
        assertRefused(api.get("accounts?$filter=Microsoft.Dynamics.CRM.Nope(PropertyName='name')"), 400, "0x80060888",
                "An unknown function with name 'Microsoft.Dynamics.CRM.Nope' was found.");
        assertRefused(api.get("Nope()"), 404, "0x8006088a", "Resource not found for the segment 'Nope'");
    }

    private static String encoded(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Response batch(String body) {
        return api.send("POST", "$batch", body, "Content-Type", "multipart/mixed; boundary=batch_B1");
    }

    private static String batchGet(String url) {
        return "--batch_B1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET " + url
                + " HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n--batch_B1--\r\n";
    }

    /** The error a $batch answered one part with (a failed batch holds the failed part only). */
    private static com.fasterxml.jackson.databind.JsonNode partError(Response r) {
        int at = r.body().indexOf("{\"error\"");
        assertTrue(at >= 0, r.body());
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body().substring(at, r.body().indexOf('\n', at))).path("error");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deeplyNestedFiltersAreARecursionLimitError() {
        // 0x80060888 is Dataverse's code for an OData query it cannot parse; its parser stops at a recursion limit
        assertRefused(api.get("accounts?$filter=" + encoded("(".repeat(600) + "name eq 'x'" + ")".repeat(600))), 400, "0x80060888",
                "The recursion limit has been exceeded.");
        assertRefused(api.get("accounts?$filter=" + encoded("not (".repeat(300) + "name eq 'x'" + ")".repeat(300))), 400, "0x80060888",
                "The recursion limit has been exceeded.");
        assertRefused(api.get("accounts?$filter=Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=@p)&@p=" + encoded("[".repeat(600) + "]".repeat(600))),
                400, "0x80060888", "The recursion limit has been exceeded.");
        // parentheses a client may well send still work
        assertEquals(200, api.get("accounts?$select=name&$filter=" + encoded("(".repeat(20) + "name eq 'Contoso Ltd'" + ")".repeat(20))).status());
    }

    @Test
    void aLongAndChainIsARecursionLimitError() {
        // only a $batch part carries a URL this long (the top-level URL stops at 8 KB)
        String chain = String.join(" and ", java.util.Collections.nCopies(5000, "name eq 'x'"));
        Response r = batch(batchGet(api.api() + "accounts?$select=name&$filter=" + encoded(chain)));
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("HTTP/1.1 400 Bad Request"), r.body());
        assertEquals("0x80060888", partError(r).path("code").asText(), r.body());
        assertTrue(partError(r).path("message").asText().contains("The recursion limit has been exceeded."), r.body());
        // a chain of a few hundred terms (a list of ids) is one flat condition
        String ids = String.join(" or ", java.util.Collections.nCopies(300, "accountid eq " + CONTOSO));
        Response ok = batch(batchGet(api.api() + "accounts?$select=name&$filter=" + encoded(ids)));
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.body().contains("Contoso Ltd"), ok.body());
    }

    @Test
    void expandNestingIsLimited() {
        String twenty = "createdby($expand=".repeat(20) + "createdby" + ")".repeat(20);
        assertRefused(api.get("accounts?$select=name&$expand=" + encoded(twenty)), 400, "0x80060888", "The number of $expand options exceeds the limit of 15.");
        String deep = "createdby($expand=".repeat(300) + "createdby" + ")".repeat(300);
        assertRefused(api.get("accounts?$select=name&$expand=" + deep), 400, "0x80060888", "The recursion limit has been exceeded.");
        String three = "createdby($select=fullname;$expand=".repeat(3) + "createdby($select=fullname)" + ")".repeat(3);
        assertEquals(200, api.get("accounts?$select=name&$expand=" + encoded(three)).status());
    }

    @Test
    void lookupPathsAreLimited() {
        String hops = String.join("/", java.util.Collections.nCopies(128, "primarycontactid/parentcustomerid_account"));
        assertRefused(api.get("accounts?$select=name&$filter=" + encoded(hops + "/name eq 'x'")), 400, "0x80060888",
                "Number of link entities in query exceeded maximum limit.");
        StringBuilder lambdas = new StringBuilder();
        for (int i = 1; i <= 16; i++) {
            lambdas.append(i == 1 ? "" : "v" + (i - 1) + "/").append("contact_customer_contacts/any(v").append(i).append(':');
        }
        lambdas.append("v16/lastname eq 'x'").append(")".repeat(16));
        assertRefused(api.get("contacts?$select=lastname&$filter=" + encoded(lambdas.toString())), 400, "0x80060888",
                "Number of link entities in query exceeded maximum limit.");
        assertEquals(200, api.get("accounts?$select=name&$filter=" + encoded("primarycontactid/parentcustomerid_account/name eq 'Contoso Ltd'")).status());
    }

    @Test
    void deeplyNestedJsonBodies() {
        int before = accountCount();
        assertRefused(api.post("accounts", "[".repeat(1001) + "]".repeat(1001)), 400, "0x80048d19", "The reader's MaxDepth of 64 has been exceeded.");
        assertRefused(api.post("accounts", "{\"name\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101)), 400, "0x80048d19", "MaxDepth");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), 400, "0x80048d19", "MaxDepth");
        assertEquals(before, accountCount());
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void aStarAfterANameInExpand() {
        // Olingo's expand parser throws a NullPointerException on this URI
        assertRefused(api.get("accounts?$expand=contact_customer_account*s"), 400, "0x80060888",
                "The URI 'accounts?$expand=contact_customer_account*s' is malformed.");
        assertRefused(api.get("accounts?$expand=primarycontactid($expand=createdby*)"), 400, "0x80060888", "malformed");
        // and its expression parser on an 'in' whose left side has no type, or is an entity
        assertRefused(api.get("accounts?$filter=" + encoded("[1,2] in name")), 400, "0x80060888", "malformed");
        assertRefused(api.get("accounts?$filter=" + encoded("primarycontactid in " + CONTOSO)), 400, "0x80060888", "malformed");
    }

    @Test
    void malformedVersionHeaders() {
        for (String v : new String[] {"x", "4.x", "4.0.1", ""}) {
            assertRefused(api.get("accounts?$select=name", "OData-Version", v), 400, "0x80060888", "OData version '" + v + "' is not supported.");
        }
        assertRefused(api.get("accounts?$select=name", "OData-MaxVersion", "4.0.1"), 400, "0x80060888", "OData version '4.0.1' is not supported.");
        assertRefused(api.get("accounts?$select=name", "OData-MaxVersion", "four"), 400, "0x80060888", "not supported");
        assertEquals(200, api.get("accounts?$select=name", "OData-Version", "4.01", "OData-MaxVersion", "4.01").status());
    }

    @Test
    void anAcceptHeaderOfOnlyCommas() {
        // Olingo's Accept parser throws IndexOutOfBoundsException on it, in its error path too
        assertRefused(api.get("WhoAmI", "Accept", ","), 400, "0x80060888", "Accept");
        Response r = batch("--batch_B1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET " + api.api()
                + "WhoAmI HTTP/1.1\r\nAccept: ,\r\n\r\n\r\n--batch_B1--\r\n");
        assertEquals(400, r.status(), r.body());
        assertEquals("0x80060888", partError(r).path("code").asText(), r.body());
    }

    @Test
    void batchLinesOlingosParserCannotRead() {
        // a "Content-Type" line without a colon, and a charset the JDK does not know, fail inside Olingo's batch reader
        String noColon = "--batch_B1\r\nContent-Type\r\nContent-Transfer-Encoding: binary\r\n\r\nGET " + api.api() + "WhoAmI HTTP/1.1\r\n\r\n\r\n--batch_B1--\r\n";
        assertRefused(batch(noColon), 400, "0x80060888", "The $batch request body is malformed.");
        int before = accountCount();
        String charset = "--batch_B1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nPOST " + api.api()
                + "accounts HTTP/1.1\r\nContent-Type: application/json; charset=ebcdic-nosuch\r\n\r\n{\"name\":\"x\"}\r\n--batch_B1--\r\n";
        assertRefused(batch(charset), 400, "0x80060888", "The $batch request body is malformed.");
        assertEquals(before, accountCount());
    }

    @Test
    void xmlNestedThousandsOfLevelsDeep() {
        String fetch = "<fetch><entity name='account'>" + "<filter>".repeat(2000) + "<condition attribute='name' operator='eq' value='x'/>"
                + "</filter>".repeat(2000) + "</entity></fetch>";
        Response r = batch(batchGet(api.api() + "accounts?fetchXml=" + encoded(fetch)));
        assertEquals(400, r.status(), r.body());
        assertTrue(partError(r).path("message").asText().contains("maxElementDepth"), r.body());
        String xaml = "<Activity xmlns=\"http://schemas.microsoft.com/netfx/2009/xaml/activities\">" + "<Sequence>".repeat(3000) + "</Sequence>".repeat(3000) + "</Activity>";
        Response created = api.post("workflows", "{\"name\":\"Deep\",\"category\":0,\"type\":1,\"scope\":4,\"primaryentity\":\"account\",\"mode\":1,"
                + "\"ondemand\":true,\"triggeroncreate\":false,\"xaml\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(xaml) + "}", "Prefer", "return=representation");
        assertEquals(201, created.status(), created.body());
        assertRefused(api.patch("workflows(" + created.json().path("workflowid").asText() + ")", "{\"statecode\":1,\"statuscode\":2}"), 400, "0x80045045",
                "maxElementDepth");
    }

    @Test
    void anUnknownContentIdFailsItsChangeSet() {
        int before = accountCount();
        String body = "--batch_B1\r\nContent-Type: multipart/mixed; boundary=cs_1\r\n\r\n"
                + "--cs_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\n"
                + "POST " + api.api() + "accounts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"name\":\"Before the bad reference\"}\r\n"
                + "--cs_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\n"
                + "PATCH $99 HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"name\":\"x\"}\r\n"
                + "--cs_1--\r\n--batch_B1--\r\n";
        Response r = batch(body);
        assertEquals(400, r.status(), r.body());
        assertEquals("Content-ID Reference: '$99' does not exist in the batch context.", partError(r).path("message").asText(), r.body());
        assertEquals(before, accountCount(), "the change set rolled back");
    }

    @Test
    void crossjoinAllAndCollectionReferencesAreNotSupported() {
        assertRefused(api.get("$crossjoin(accounts,contacts)"), 400, "0x80060888", "is not supported");
        assertRefused(api.get("$all"), 400, "0x80060888", "is not supported");
        assertRefused(api.get("accounts/$ref"), 400, "0x80060888", "is not supported");
    }

    @Test
    void jettysOwnAnswersAreDataverseErrors() {
        assertRefused(api.get("accounts?$select=name&$filter=" + "name%20eq%20'x'%20or%20".repeat(400) + "name%20eq%20'x'"), 414, "0x80060888", "URI Too Long");
        assertRefused(api.get("accounts?$select=name", "X-Padding", "p".repeat(9000)), 431, "0x80060888", "Request Header Fields Too Large");
        assertRefused(api.get("/api/data/v9.2/accounts%00"), 400, "0x80060888", "");
        assertRefused(api.get("/api/data/v9.2//accounts"), 400, "0x80060888", "Ambiguous URI");
        assertRefused(api.get("/api/data/v9.2/%2e%2e/accounts"), 400, "0x80060888", "Ambiguous URI");
        assertRefused(api.patch("/api/data/v9.2//accounts(" + CONTOSO + ")", "{\"name\":\"x\"}"), 400, "0x80060888", "Ambiguous URI");
        assertRefused(api.get("/api/data/v9.2//accounts", "Accept", "text/html"), 400, "0x80060888", "Ambiguous URI");
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void aBatchWhoseBoundaryNeverMatchesIsRefused() {
        int before = accountCount();
        String wrongFirst = "--batch_WRONG\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "POST " + api.api() + "accounts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"name\":\"Dropped\"}\r\n--batch_B1--\r\n";
        assertRefused(batch(wrongFirst), 400, "0x80060888", "--batch_B1");
        assertRefused(batch("--batch_B1--\r\n"), 400, "0x80060888", "--batch_B1");
        assertEquals(before, accountCount());
    }

    @Test
    void bodiesMustBeJson() {
        int before = accountCount();
        assertRefused(api.post("accounts", "{\"name\":\"Sent as XML\"}", "Content-Type", "application/xml"), 415, "0x80048d19", "application/xml");
        assertRefused(api.post("accounts", "{\"name\":\"Sent as text\"}", "Content-Type", "text/plain"), 415, "0x80048d19", "text/plain");
        assertRefused(api.patch("accounts(" + CONTOSO + ")", "{\"name\":\"Sent as Atom\"}", "Content-Type", "application/atom+xml"), 415, "0x80048d19", "atom");
        assertEquals(before, accountCount());
        assertEquals("Contoso Ltd", api.get("accounts(" + CONTOSO + ")?$select=name").json().path("name").asText());
    }

    @Test
    void topIsAtMost5000() {
        assertRefused(api.get("accounts?$select=name&$top=5001"), 400, "0x80060888", "The limit of '5000' for Top query has been exceeded.");
        assertRefused(api.get("accounts?$select=name&$expand=contact_customer_accounts($top=5001)"), 400, "0x80060888", "5000");
        assertEquals(200, api.get("accounts?$select=name&$top=5000").status());
    }

    @Test
    void requestBodiesAreBounded() throws Exception {
        int before = accountCount();
        String huge = "{\"name\":\"" + "n".repeat(33 * 1024 * 1024) + "\"}";
        assertRefused(postAskingToContinue("accounts", "application/json", huge), 413, "0x80048d19", "");
        String part = "--batch_B1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nPOST " + api.api()
                + "accounts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n" + huge + "\r\n--batch_B1--\r\n";
        assertRefused(postAskingToContinue("$batch", "multipart/mixed; boundary=batch_B1", part), 413, "0x80048d19", "");
        StringBuilder changeSets = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            changeSets.append("--batch_B1\r\nContent-Type: multipart/mixed; boundary=cs_").append(i).append("\r\n\r\n--cs_").append(i).append("--\r\n");
        }
        assertRefused(batch(changeSets.append("--batch_B1--\r\n").toString()), 400, "0x80060888", "exceeds the limit of 1000");
        assertEquals(before, accountCount());
    }

    /**
     * A large body announced as careful clients announce it: headers with {@code Expect: 100-continue}, the body only
     * once the server asks for it. The server refuses an oversized body from its Content-Length (a client still
     * writing one can lose that answer when the connection closes). Over a socket: the JDK client waits forever for
     * a final answer to a request that expects to continue.
     */
    private Response postAskingToContinue(String path, String contentType, String body) throws Exception {
        String token = anonymous.clientCredentialsToken(APP_CLIENT_ID, APP_SECRET);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            String head = "POST /api/data/v9.2/" + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\nContent-Type: " + contentType
                    + "\r\nAccept: application/json\r\nContent-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            assertTrue(end > 0, answer);
            java.util.Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
            String[] lines = answer.substring(0, end).split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim(), java.util.List.of(lines[i].substring(colon + 1).trim()));
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, answer.substring(end + 4));
        }
    }

    @Test
    void userFunctionsOnColumnsThatHoldNoIds() {
        assertRefused(api.get("accounts?$filter=Microsoft.Dynamics.CRM.EqualUserId(PropertyName='creditonhold')"), 400, "0x80060888",
                "applies to lookup and unique identifier columns");
        assertRefused(api.get("accounts?$filter=Microsoft.Dynamics.CRM.EqualUserOrUserTeams(PropertyName='name')"), 400, "0x80060888", "'name' is not one");
        assertRefused(api.get("accounts?fetchXml=" + encoded("<fetch><entity name='account'><filter><condition attribute='numberofemployees' operator='eq-businessid'/>"
                + "</filter></entity></fetch>")), 400, "0x80060888", "'numberofemployees' is not one");
    }

    @Test
    void entityNameAttributesNameRealTables() {
        int before = Integer.parseInt(api.get("workflows/$count").body().trim());
        assertRefused(api.post("workflows", "{\"name\":\"bad\",\"category\":0,\"type\":1,\"primaryentity\":\"nosuch\"}"), 400, "0x80040203",
                "The entity with a name = 'nosuch'");
        assertEquals(before, Integer.parseInt(api.get("workflows/$count").body().trim()));
    }
}
