package dev.dve.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docker files, checked without a Docker engine (none runs in CI): the compose file is valid against the official
 * Compose Specification schema ({@code docker/compose-spec.json}, a copy of {@code schema/compose-spec.json} of
 * github.com/compose-spec/compose-spec, Apache-2.0) and describes what the README promises — MariaDB and two emulator
 * nodes on one database, distinct node ids and host ports, health checks gating the start order; the Dockerfile runs
 * as a non-root user, checks {@code /admin/health}, exposes the ports and declares the fixtures and data volumes.
 */
class DockerFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = root();

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker/docker-compose.yml"))) {
                return p;
            }
        }
        throw new IllegalStateException("docker/docker-compose.yml not found above " + Path.of("").toAbsolutePath());
    }

    /** The compose file as Compose reads it: YAML with anchors and merge keys resolved, as a JSON tree. */
    private static JsonNode compose(String yaml) {
        Object document = new Yaml().load(yaml);
        return JSON.valueToTree(document);
    }

    private static List<Error> schemaErrors(JsonNode compose) throws IOException {
        // the schema's "$id" is relative: it is read as if published under the specification's site
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(
                SchemaLocation.of("https://compose-spec.io/schema/compose-spec.json"),
                JSON.readTree(ROOT.resolve("docker/compose-spec.json").toFile()));
        return schema.validate(compose);
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSpecification() throws IOException {
        JsonNode compose = compose(Files.readString(ROOT.resolve("docker/docker-compose.yml")));
        List<Error> errors = schemaErrors(compose);
        assertTrue(errors.isEmpty(), "compose file errors: " + errors);

        // the check is live: a misspelt key and a wrong type are caught
        String broken = Files.readString(ROOT.resolve("docker/docker-compose.yml")).replace("    ports:\n", "    portz:\n")
                .replace("retries: 30", "retries: [30]");
        assertFalse(schemaErrors(compose(broken)).isEmpty(), "a broken compose file passes the schema");
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isArray()) {
            for (JsonNode item : e) {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        } else {
            e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        }
        return env;
    }

    /** Published ports as host port → container port ("5557:5555", "127.0.0.1:5557:5555" or the long form). */
    private static Map<String, String> ports(JsonNode service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : service.path("ports")) {
            if (p.isObject()) {
                out.put(p.path("published").asText(), p.path("target").asText());
            } else {
                String[] parts = p.asText().split(":");
                assertTrue(parts.length >= 2, "port " + p + " publishes no host port");
                out.put(parts[parts.length - 2], parts[parts.length - 1].replace("/tcp", ""));
            }
        }
        return out;
    }

    @Test
    void twoEmulatorNodesShareOneMariaDbWithTheirOwnIdsAndPorts() throws IOException {
        JsonNode services = compose(Files.readString(ROOT.resolve("docker/docker-compose.yml"))).path("services");
        String database = null;
        List<String> emulators = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
            if (s.getValue().path("image").asText().startsWith("mariadb:")) {
                database = s.getKey();
                assertEquals("mariadb:11.4", s.getValue().path("image").asText());
                assertTrue(s.getValue().path("healthcheck").path("test").toString().contains("healthcheck.sh"), "MariaDB has a health check");
            } else if ("docker/Dockerfile".equals(s.getValue().path("build").path("dockerfile").asText())) {
                emulators.add(s.getKey());
            }
        }
        assertTrue(database != null, "a MariaDB service");
        assertEquals(2, emulators.size(), "two emulator nodes: " + emulators);

        Set<String> nodeIds = new HashSet<>();
        Set<String> dbUrls = new HashSet<>();
        Set<String> orgUrls = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        for (Map.Entry<String, JsonNode> s : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
            for (String host : ports(s.getValue()).keySet()) {
                assertTrue(hostPorts.add(host), "host port " + host + " is published twice");
            }
        }
        for (String name : emulators) {
            JsonNode node = services.path(name);
            Map<String, String> env = environment(node);
            assertTrue(nodeIds.add(env.get("DVE_NODE_ID")), name + " needs a node id of its own: " + env);
            dbUrls.add(env.get("DVE_DB"));
            orgUrls.add(env.get("DVE_URL"));
            assertTrue(env.get("DVE_DB").startsWith("jdbc:mariadb://" + database + ":3306/"), name + " uses the MariaDB service: " + env);
            assertTrue(env.containsKey("DVE_DB_USER") && env.containsKey("DVE_DB_PASSWORD"), env.toString());
            Map<String, String> ports = ports(node);
            assertTrue(ports.containsValue("5555"), name + " publishes HTTP: " + ports);
            assertTrue(ports.containsValue("5556"), name + " publishes HTTPS: " + ports);
            assertTrue(node.path("healthcheck").path("test").toString().contains("/admin/health"), name + " is checked on /admin/health");
            assertEquals("service_healthy", node.path("depends_on").path(database).path("condition").asText(),
                    name + " waits for a healthy database");
        }
        assertEquals(1, dbUrls.size(), "both nodes share one database: " + dbUrls);
        assertEquals(1, orgUrls.size(), "both nodes name one organization URL, so tokens work on both: " + orgUrls);
        assertNotEquals(null, orgUrls.iterator().next());
        assertTrue(emulators.stream().anyMatch(n -> services.path(n).path("depends_on").has(emulators.get(0))),
                "the second node starts once the first is healthy (it creates the tables and loads the fixtures)");
    }

    /** The Dockerfile's instructions: continuation lines joined, comments and blank lines dropped. */
    private static List<String[]> instructions(String dockerfile) {
        List<String[]> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                String[] kw = text.split("\\s+", 2);
                out.add(new String[]{kw[0].toUpperCase(), kw.length > 1 ? kw[1] : ""});
            }
        }
        return out;
    }

    @Test
    void theImageRunsUnprivilegedWithAHealthCheckVolumesAndPorts() throws IOException {
        List<String[]> all = instructions(Files.readString(ROOT.resolve("docker/Dockerfile")));
        int lastFrom = -1;
        int stages = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i)[0].equals("FROM")) {
                lastFrom = i;
                stages++;
            }
        }
        assertTrue(stages >= 2, "a multi-stage build");
        List<String[]> runtime = all.subList(lastFrom, all.size());
        assertTrue(runtime.get(0)[1].startsWith("eclipse-temurin:17-jre"), "a JRE runtime image: " + runtime.get(0)[1]);

        String user = last(runtime, "USER");
        assertTrue(user != null && !user.startsWith("root") && !user.startsWith("0"), "runs as a non-root user: " + user);
        String health = last(runtime, "HEALTHCHECK");
        assertTrue(health != null && health.contains("/admin/health") && health.contains("CMD"), "health check: " + health);
        String volumes = String.join(" ", values(runtime, "VOLUME"));
        assertTrue(volumes.contains("/fixtures") && volumes.contains("/data"), "fixtures and data volumes: " + volumes);
        Set<String> exposed = new HashSet<>(List.of(String.join(" ", values(runtime, "EXPOSE")).split("\\s+")));
        assertTrue(exposed.contains("5555") && exposed.contains("5556"), "HTTP and HTTPS ports exposed: " + exposed);

        // the entrypoint exists, is executable, and the curl the health check needs is in the base image's package list
        Matcher entry = Pattern.compile("\"(/[^\"]+\\.sh)\"").matcher(last(runtime, "ENTRYPOINT"));
        assertTrue(entry.find(), "an entrypoint script");
        Path script = ROOT.resolve("docker").resolve(Path.of(entry.group(1)).getFileName());
        assertTrue(Files.isExecutable(script), script + " is executable");
        assertTrue(Files.readString(script).contains("DVE_FIXTURES=/fixtures"), "the fixtures volume is used when it holds fixtures");
        assertTrue(health.contains("curl"), "the health check uses curl, which Temurin's Ubuntu images ship");

        String ignore = Files.readString(ROOT.resolve(".dockerignore"));
        assertTrue(ignore.contains("**/target") && ignore.contains(".git"), "build output and history stay out of the context");
    }

    private static String last(List<String[]> instructions, String keyword) {
        String found = null;
        for (String[] i : instructions) {
            if (i[0].equals(keyword)) {
                found = i[1];
            }
        }
        return found;
    }

    private static List<String> values(List<String[]> instructions, String keyword) {
        List<String> out = new ArrayList<>();
        for (String[] i : instructions) {
            if (i[0].equals(keyword)) {
                out.add(i[1]);
            }
        }
        return out;
    }
}
