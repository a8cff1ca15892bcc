package dev.dve.server.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.TestDatabases;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R8: requests racing on one record. Only a request that names a concrete ETag may lose (412); plain updates,
 * {@code If-Match: *} and upserts are last-writer-wins, and nothing answers 5xx. Each scenario prints one line of
 * figures for docs/reliability.md.
 */
class ConcurrencyTest extends EmulatorTest {
    private static final int N = 20;
    private static final String VERSION_MISMATCH = "0x80060882";
    private static final String DUPLICATE_RECORD = "0x80040237";

    /** Sends {@code n} requests that all start together (released by one latch); answers in request order. */
    private static List<Response> race(int n, IntFunction<Response> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                answers.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.apply(index);
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "all request threads ready");
            go.countDown();
            List<Response> out = new ArrayList<>();
            for (Future<Response> f : answers) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            threads.shutdownNow();
        }
    }

    private static Map<Integer, Long> statuses(List<Response> answers) {
        return answers.stream().collect(Collectors.groupingBy(Response::status, TreeMap::new, Collectors.counting()));
    }

    private static long count(List<Response> answers, int status) {
        return answers.stream().filter(r -> r.status() == status).count();
    }

    /** The one-line figure of a scenario, e.g. "R8 if-match race [H2]: 20 requests, 1×204, 19×412". */
    private static void figures(String scenario, List<Response> answers, String extra) {
        String tally = statuses(answers).entrySet().stream().map(e -> e.getValue() + "×" + e.getKey()).collect(Collectors.joining(", "));
        System.out.println("R8 " + scenario + " [" + (TestDatabases.mariaDb() ? "MariaDB" : "H2") + "]: " + answers.size()
                + " requests, " + tally + (extra.isEmpty() ? "" : ", " + extra));
    }

    private static void assertNoServerError(List<Response> answers) {
        for (Response r : answers) {
            assertTrue(r.status() < 500, "no 5xx: " + r);
        }
    }

    private String createAccount(String name) {
        Response r = api.post("accounts", "{\"name\":\"" + name + "\"}");
        assertEquals(204, r.status(), r.body());
        String entityId = r.header("OData-EntityId");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    private JsonNode account(String id) {
        Response r = api.get("accounts(" + id + ")?$select=name,telephone1,versionnumber");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private int accountsNamedLike(String prefix) {
        return api.get("accounts?$select=name&$count=true&$filter=startswith(name,'" + prefix + "')").json().path("@odata.count").asInt();
    }

    @Test
    void ifMatchRaceHasExactlyOneWinnerAndLosesNoData() throws Exception {
        String id = createAccount("etag-race");
        String etag = account(id).path("@odata.etag").asText();

        List<Response> answers = race(N, i -> api.patch("accounts(" + id + ")", "{\"name\":\"etag-writer-" + i + "\"}", "If-Match", etag));
        figures("if-match race", answers, "");

        assertNoServerError(answers);
        assertEquals(1, count(answers, 204), "exactly one winner: " + statuses(answers));
        assertEquals(N - 1, count(answers, 412), "the rest lose: " + statuses(answers));
        int winner = -1;
        for (int i = 0; i < N; i++) {
            if (answers.get(i).status() == 412) {
                assertEquals(VERSION_MISMATCH, answers.get(i).errorCode());
            } else {
                winner = i;
            }
        }
        JsonNode row = account(id);
        assertEquals("etag-writer-" + winner, row.path("name").asText(), "the winner's value is kept");
        assertFalse(etag.equals(row.path("@odata.etag").asText()), "the winner moved the version on");
    }

    @Test
    void updatesWithoutAPreconditionAllSucceedLastWriterWins() throws Exception {
        String id = createAccount("plain-race");
        long before = account(id).path("versionnumber").asLong();

        List<Response> answers = race(N, i -> api.patch("accounts(" + id + ")", "{\"name\":\"plain-writer-" + i + "\"}"));
        JsonNode row = account(id);
        long advanced = row.path("versionnumber").asLong() - before;
        figures("no-precondition race", answers, "versionnumber +" + advanced);

        assertEquals(N, count(answers, 204), "every plain update succeeds: " + statuses(answers));
        Set<String> sent = IntStream.range(0, N).mapToObj(i -> "plain-writer-" + i).collect(Collectors.toSet());
        assertTrue(sent.contains(row.path("name").asText()), "the last writer's value: " + row.path("name").asText());
        assertTrue(advanced >= N, "every update wrote a version of its own: +" + advanced);
        assertEquals(1, accountsNamedLike("plain-writer-"), "the updates changed the one row and created none");
    }

    @Test
    void ifMatchStarRaceAllSucceed() throws Exception {
        String id = createAccount("star-race");
        long before = account(id).path("versionnumber").asLong();

        List<Response> answers = race(N, i -> api.patch("accounts(" + id + ")", "{\"telephone1\":\"star-" + i + "\"}", "If-Match", "*"));
        JsonNode row = account(id);
        long advanced = row.path("versionnumber").asLong() - before;
        figures("if-match * race", answers, "versionnumber +" + advanced);

        assertEquals(N, count(answers, 204), "If-Match: * only requires that the row exists: " + statuses(answers));
        assertTrue(row.path("telephone1").asText().startsWith("star-"), row.toString());
        assertTrue(advanced >= N, "every update wrote a version of its own: +" + advanced);
    }

    @Test
    void upsertsOfOneNewIdCreateOneRowAndUpdateIt() throws Exception {
        String id = UUID.randomUUID().toString();

        List<Response> answers = race(N, i -> api.patch("accounts(" + id + ")", "{\"name\":\"upsert-writer-" + i + "\"}"));
        int rows = accountsNamedLike("upsert-writer-");
        figures("upsert race (new id)", answers, rows + " row");

        for (Response r : answers) {
            assertTrue(r.status() >= 200 && r.status() < 300, "every upsert succeeds: " + r);
            assertTrue(r.header("OData-EntityId").endsWith("accounts(" + id + ")"), r.header("OData-EntityId"));
        }
        assertEquals(1, rows, "exactly one row was created");
        assertTrue(account(id).path("name").asText().startsWith("upsert-writer-"));
    }

    @Test
    void createOnlyUpsertsOfOneNewIdHaveExactlyOneWinner() throws Exception {
        String id = UUID.randomUUID().toString();

        List<Response> answers = race(N, i -> api.patch("accounts(" + id + ")", "{\"name\":\"create-only-" + i + "\"}", "If-None-Match", "*"));
        figures("if-none-match * upsert race", answers, "");

        assertNoServerError(answers);
        assertEquals(1, count(answers, 204), "one create wins: " + statuses(answers));
        assertEquals(N - 1, count(answers, 412), "the others find the row: " + statuses(answers));
        int winner = -1;
        for (int i = 0; i < N; i++) {
            if (answers.get(i).status() == 412) {
                assertEquals(DUPLICATE_RECORD, answers.get(i).errorCode(), answers.get(i).body());
            } else {
                winner = i;
            }
        }
        assertEquals(1, accountsNamedLike("create-only-"));
        assertEquals("create-only-" + winner, account(id).path("name").asText(), "create-only never overwrites");
    }

    @Test
    void concurrentCreatesAllPersist() throws Exception {
        List<Response> answers = race(N, i -> api.post("accounts", "{\"name\":\"parallel-create-" + i + "\"}"));
        int rows = accountsNamedLike("parallel-create-");
        figures("create race", answers, rows + " rows");

        assertEquals(N, count(answers, 204), statuses(answers).toString());
        Set<String> ids = new HashSet<>();
        for (Response r : answers) {
            ids.add(r.header("OData-EntityId"));
        }
        assertEquals(N, ids.size(), "distinct ids");
        assertEquals(N, rows, "every create persisted");
    }

    @Test
    void deleteRacingUpdatesNeverFailsWithAServerError() throws Exception {
        String id = createAccount("delete-race");
        int deletes = 4;

        // the updates use If-Match: * so that none of them re-creates the row after the delete (a plain PATCH would upsert)
        List<Response> answers = race(N, i -> i < deletes ? api.delete("accounts(" + id + ")")
                : api.patch("accounts(" + id + ")", "{\"telephone1\":\"del-" + i + "\"}", "If-Match", "*"));
        figures("delete vs update race", answers, deletes + " deletes");

        assertNoServerError(answers);
        List<Response> deleteAnswers = answers.subList(0, deletes);
        assertEquals(1, count(deleteAnswers, 204), "one delete wins: " + statuses(deleteAnswers));
        assertEquals(deletes - 1, count(deleteAnswers, 404), "the other deletes find nothing: " + statuses(deleteAnswers));
        for (Response r : answers.subList(deletes, N)) {
            assertTrue(r.status() == 204 || r.status() == 404, "an update before the delete wins, after it finds nothing: " + r);
            if (r.status() == 404) {
                assertEquals("0x80040217", r.errorCode());
            }
        }
        assertEquals(404, api.get("accounts(" + id + ")").status(), "the row stays deleted");
    }

    @Test
    void batchChangeSetsOnOneRowAllCommit() throws Exception {
        String id = createAccount("batch-race");
        long before = account(id).path("versionnumber").asLong();
        int batches = 10;
        String base = "/api/data/v9.2/";

        List<Response> answers = race(batches, i -> api.send("POST", "$batch", "--batch_R8\r\n"
                + changeset("changeset_R8_" + i,
                        part("PATCH", base + "accounts(" + id + ")", "1", "{\"name\":\"batch-writer-" + i + "\"}"),
                        part("PATCH", base + "accounts(" + id + ")", "2", "{\"telephone1\":\"batch-" + i + "\"}"))
                + "--batch_R8--\r\n", "Content-Type", "multipart/mixed; boundary=\"batch_R8\""));
        JsonNode row = account(id);
        long advanced = row.path("versionnumber").asLong() - before;
        long committed = answers.stream().filter(r -> r.body().split("HTTP/1.1 204", -1).length - 1 == 2).count();
        figures("$batch change set race", answers, committed + " change sets committed, versionnumber +" + advanced);

        assertEquals(batches, count(answers, 200), statuses(answers).toString());
        assertEquals(batches, committed, "both parts of every change set answered 204: " + answers);
        String name = row.path("name").asText();
        assertTrue(name.startsWith("batch-writer-"), name);
        assertEquals("batch-" + name.substring("batch-writer-".length()), row.path("telephone1").asText(),
                "a change set is applied as a whole: the last one's two values");
        assertTrue(advanced >= 2L * batches, "+" + advanced);
    }

    private static String part(String method, String url, String contentId, String body) {
        return "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: " + contentId + "\r\n\r\n"
                + method + ' ' + url + " HTTP/1.1\r\nContent-Type: application/json; type=entry\r\n\r\n" + body + "\r\n";
    }

    private static String changeset(String boundary, String... parts) {
        StringBuilder b = new StringBuilder("Content-Type: multipart/mixed; boundary=" + boundary + "\r\n\r\n");
        for (String p : parts) {
            b.append("--").append(boundary).append("\r\n").append(p);
        }
        return b.append("--").append(boundary).append("--\r\n").toString();
    }
}
