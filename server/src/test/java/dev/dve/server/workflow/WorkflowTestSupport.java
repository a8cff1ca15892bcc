package dev.dve.server.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Creates workflow rows from the sample XAML documents the way a client would, and activates them. */
public final class WorkflowTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkflowTestSupport() {
    }

    public static String xaml(String sample) {
        try (InputStream in = WorkflowTestSupport.class.getClassLoader().getResourceAsStream("samples/workflows/" + sample)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + sample);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A workflow definition on accounts; {@code settings} adds or overrides attributes (JSON object text). */
    public static ObjectNode definition(String name, String sample, String settings) {
        try {
            ObjectNode w = JSON.createObjectNode();
            w.put("name", name).put("category", 0).put("type", 1).put("scope", 4).put("primaryentity", "account")
                    .put("mode", 1).put("xaml", xaml(sample));
            if (settings != null) {
                w.setAll((ObjectNode) JSON.readTree(settings));
            }
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String create(WebApi api, ObjectNode definition) {
        Response r = api.post("workflows", definition.toString(), "Prefer", "return=representation");
        assertEquals(201, r.status(), r.body());
        return r.json().path("workflowid").asText();
    }

    public static Response activate(WebApi api, String workflowId) {
        return api.patch("workflows(" + workflowId + ")", "{\"statecode\":1,\"statuscode\":2}");
    }

    /** Creates and activates; fails the test when activation is refused. */
    public static String active(WebApi api, String name, String sample, String settings) {
        String id = create(api, definition(name, sample, settings));
        Response r = activate(api, id);
        assertEquals(204, r.status(), "activate " + name + ": " + r.body());
        return id;
    }
}
