package dev.dve.server.webapi;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** $batch: change sets commit or roll back as one, Content-ID references, continue-on-error, Dataverse's boundaries. */
class BatchTest extends EmulatorTest {

    private String part(String method, String url, String contentId, String body) {
        StringBuilder b = new StringBuilder("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        if (contentId != null) {
            b.append("Content-ID: ").append(contentId).append("\r\n");
        }
        b.append("\r\n").append(method).append(' ').append(url).append(" HTTP/1.1\r\n");
        if (body != null) {
            b.append("Content-Type: application/json; type=entry\r\n\r\n").append(body).append("\r\n");
        } else {
            b.append("Accept: application/json\r\n\r\n\r\n");
        }
        return b.toString();
    }

    private String changeset(String boundary, String... parts) {
        StringBuilder b = new StringBuilder("Content-Type: multipart/mixed; boundary=" + boundary + "\r\n\r\n");
        for (String p : parts) {
            b.append("--").append(boundary).append("\r\n").append(p);
        }
        return b.append("--").append(boundary).append("--\r\n").toString();
    }

    private Response batch(String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "multipart/mixed; boundary=\"batch_AAA123\"";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return api.send("POST", "$batch", body, all);
    }

    private int accounts(String name) {
        return api.get("accounts?$count=true&$filter=name%20eq%20'" + name.replace(" ", "%20") + "'").json().path("@odata.count").asInt();
    }

    @Test
    void changeSetWithReferencesAndAGetOutside() {
        String base = "/api/data/v9.2/";
        String body = "--batch_AAA123\r\n" + changeset("changeset_BBB456",
                part("POST", base + "accounts", "1", "{\"name\":\"Batched\"}"),
                part("POST", base + "contacts", "2", "{\"lastname\":\"Batchling\",\"parentcustomerid_account@odata.bind\":\"$1\"}"),
                part("PATCH", "$1", "3", "{\"telephone1\":\"555-BATCH\"}"))
                + "--batch_AAA123\r\n" + part("GET", api.api() + "accounts?$select=name&$filter=name%20eq%20'Batched'", null, null)
                + "--batch_AAA123--\r\n";
        Response r = batch(body);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("multipart/mixed; boundary=batchresponse_"), r.header("Content-Type"));
        assertTrue(r.body().contains("--batchresponse_") && r.body().contains("--changesetresponse_"), r.body());
        assertTrue(r.body().contains("HTTP/1.1 204 No Content"));
        assertTrue(r.body().contains("OData-EntityId: " + api.api() + "accounts("), r.body());
        assertTrue(r.body().contains("\"name\":\"Batched\""), "the GET sees the committed change set: " + r.body());
        assertEquals(1, accounts("Batched"));
        String id = api.get("accounts?$select=telephone1&$filter=name%20eq%20'Batched'").json().path("value").get(0).path("accountid").asText();
        assertEquals("555-BATCH", api.get("accounts(" + id + ")?$select=telephone1").json().path("telephone1").asText(), "PATCH $1");
        assertEquals(id, api.get("contacts?$select=_parentcustomerid_value&$filter=lastname%20eq%20'Batchling'").json()
                .path("value").get(0).path("_parentcustomerid_value").asText(), "bound with $1");
    }

    @Test
    void aFailingPartRollsTheChangeSetBack() {
        String base = "/api/data/v9.2/";
        String body = "--batch_AAA123\r\n" + changeset("changeset_BBB456",
                part("POST", base + "accounts", "1", "{\"name\":\"Doomed batch\"}"),
                part("POST", base + "accounts", "2", "{\"name\":\"Bad\",\"customertypecode\":99}"))
                + "--batch_AAA123\r\n" + part("POST", base + "accounts", null, "{\"name\":\"After the failure\"}")
                + "--batch_AAA123--\r\n";
        Response r = batch(body);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("HTTP/1.1 400 Bad Request"));
        assertTrue(r.body().contains("0x80044331"), r.body());
        assertEquals(0, accounts("Doomed batch"), "the whole change set rolled back");
        assertEquals(0, accounts("After the failure"), "processing stops at the first failure");

        Response cont = batch(body, "Prefer", "odata.continue-on-error");
        assertEquals(200, cont.status(), cont.body());
        assertTrue(cont.body().contains("HTTP/1.1 400 Bad Request"));
        assertEquals(0, accounts("Doomed batch"));
        assertEquals(1, accounts("After the failure"), "continue-on-error goes on");
        assertFalse(cont.body().contains("--batch_AAA123"));
    }

    @Test
    void atMostAThousandRequestsAndSinglePropertyWrites() {
        String base = "/api/data/v9.2/";
        StringBuilder tooMany = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            tooMany.append("--batch_AAA123\r\n").append(part("GET", base + "WhoAmI", null, null));
        }
        Response refused = batch(tooMany.append("--batch_AAA123--\r\n").toString());
        assertEquals(400, refused.status(), refused.body().length() > 300 ? refused.body().substring(0, 300) : refused.body());
        assertTrue(refused.errorMessage().contains("exceeds the limit of 1000"), refused.errorMessage());

        String contoso = base + "accounts(00000000-0000-0000-0000-00000000ac01)";
        String body = "--batch_AAA123\r\n" + changeset("changeset_P1",
                part("PUT", contoso + "/telephone1", "1", "{\"value\":\"555-PUT\"}"),
                part("DELETE", contoso + "/creditlimit", "2", null))
                + "--batch_AAA123--\r\n";
        Response r = batch(body);
        assertEquals(200, r.status(), r.body());
        assertFalse(r.body().contains("HTTP/1.1 4"), r.body());
        assertEquals("555-PUT", api.get("accounts(00000000-0000-0000-0000-00000000ac01)?$select=telephone1").json().path("telephone1").asText());
        assertTrue(api.get("accounts(00000000-0000-0000-0000-00000000ac01)?$select=creditlimit").json().path("creditlimit").isNull());
    }

    /**
     * The body DynamicsWebApi's executeBatch writes: parts joined by CRLF, a change set, then a GET whose headers end
     * with a single CRLF before the closing delimiter (no blank line), which Dataverse accepts.
     */
    @Test
    void aGetWhoseHeadersRunUpToTheDelimiterIsAccepted() {
        String url = server.baseUrl() + "/api/data/v9.2/";
        String body = String.join("\r\n",
                "\r\n--dwa_batch_1",
                "Content-Type: multipart/mixed;boundary=changeset_1",
                "\r\n--changeset_1",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "Content-ID: 100001",
                "\r\nPOST " + url + "accounts HTTP/1.1",
                "Content-Type: application/json",
                "\r\n{\"name\":\"From DynamicsWebApi\"}",
                "\r\n--changeset_1--",
                "\r\n--dwa_batch_1",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "\r\nGET " + url + "accounts?$select=name&$filter=name%20eq%20'From%20DynamicsWebApi' HTTP/1.1",
                "Accept: application/json",
                "Prefer: odata.include-annotations=\"*\"",
                "\r\n--dwa_batch_1--\r\n");
        Response r = api.send("POST", "$batch", body, "Content-Type", "multipart/mixed;boundary=dwa_batch_1");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("HTTP/1.1 204 No Content"), r.body());
        assertTrue(r.body().contains("\"name\":\"From DynamicsWebApi\""), "the GET outside the change set ran: " + r.body());
        assertEquals(1, accounts("From DynamicsWebApi"));

        Response wrongBoundary = api.send("POST", "$batch", body.replace("--dwa_batch_1\r\nContent-Type: multipart", "--dwa_batch_2\r\nContent-Type: multipart"),
                "Content-Type", "multipart/mixed;boundary=dwa_batch_1");
        assertEquals(400, wrongBoundary.status(), wrongBoundary.body());
        Response noDelimiter = api.send("POST", "$batch", body, "Content-Type", "multipart/mixed;boundary=other_batch");
        assertEquals(400, noDelimiter.status(), noDelimiter.body());
        assertEquals(1, accounts("From DynamicsWebApi"), "nothing of a refused batch ran");
    }
}
