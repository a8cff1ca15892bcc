package dev.dve.engine.workflow.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.record.Entity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run stopped and what it held, so another execution (after a wait, a pause, a crash or on another node)
 * continues there. As JSON:
 * <pre>
 * {"version":1,
 *  "at":"0.3.1",                 the step's {@link StepPath}
 *  "done":true,                  true: the step completed, continue after it; false: re-enter it (a wait)
 *  "until":"…Z",                 waits only: when the wait ends by itself
 *  "waitingSince":"…Z",          waits only: the run's last execution time when it began to wait (timeouts count from it)
 *  "scopes":[{"at":null,"variables":{…}},   the process's arguments as the steps see them
 *            {"at":"","variables":{…}},     the body, then each enclosing Sequence/Composite/ConditionSequence
 *            {"at":"0","variables":{…}}],
 *  "arguments":{…},              the run's input arguments
 *  "createdEntities":{…}}        the records the steps built
 * </pre>
 * Values are {@link CheckpointValues}. The primary record is not kept: a resumed run reads it again, so it sees the
 * record as it is now; related records are read again on first use for the same reason.
 */
final class RunCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    /** The variables of the scope opened by the step at {@code owner}; a null owner is the process's argument scope. */
    record SavedScope(StepPath owner, Map<String, Object> variables) {
    }

    private final StepPath at;
    private final boolean done;
    private final Instant until;
    private final Instant waitingSince;
    private final List<SavedScope> scopes;
    private final Map<String, Object> arguments;
    private final Map<String, Entity> createdEntities;

    RunCheckpoint(StepPath at, boolean done, Instant until, Instant waitingSince, List<SavedScope> scopes,
                  Map<String, Object> arguments, Map<String, Entity> createdEntities) {
        this.at = at;
        this.done = done;
        this.until = until;
        this.waitingSince = waitingSince;
        this.scopes = scopes;
        this.arguments = arguments;
        this.createdEntities = createdEntities;
    }

    StepPath at() {
        return at;
    }

    boolean done() {
        return done;
    }

    Instant until() {
        return until;
    }

    Instant waitingSince() {
        return waitingSince;
    }

    Map<String, Object> arguments() {
        return arguments;
    }

    Map<String, Entity> createdEntities() {
        return createdEntities;
    }

    /** The saved variables of the scope {@code owner} opened; a checkpoint that lacks it does not fit the definition. */
    Map<String, Object> scope(StepPath owner) {
        for (SavedScope s : scopes) {
            if (owner == null ? s.owner() == null : owner.equals(s.owner())) {
                return s.variables();
            }
        }
        throw new IllegalStateException("The checkpoint has no variables for the scope at '" + (owner == null ? "process" : owner) + "'");
    }

    String toJson() {
        List<Object> values = new ArrayList<>();
        scopes.forEach(s -> values.addAll(s.variables().values()));
        values.addAll(arguments.values());
        values.addAll(createdEntities.values());
        CheckpointValues.Writer w = new CheckpointValues.Writer(values.toArray());
        ObjectNode o = JSON.createObjectNode();
        o.put("version", VERSION);
        o.put("at", at.toString());
        o.put("done", done);
        if (until != null) {
            o.put("until", until.toString());
        }
        if (waitingSince != null) {
            o.put("waitingSince", waitingSince.toString());
        }
        ArrayNode a = o.putArray("scopes");
        for (SavedScope s : scopes) {
            ObjectNode scope = a.addObject();
            scope.put("at", s.owner() == null ? null : s.owner().toString());
            scope.set("variables", values(w, s.variables()));
        }
        o.set("arguments", values(w, arguments));
        o.set("createdEntities", values(w, createdEntities));
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a checkpoint", e);
        }
    }

    private static ObjectNode values(CheckpointValues.Writer w, Map<String, ?> values) {
        ObjectNode o = JSON.createObjectNode();
        values.forEach((k, v) -> o.set(k, w.write(v)));
        return o;
    }

    static RunCheckpoint fromJson(String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A workflow checkpoint is not JSON: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject() || o.path("version").intValue() != VERSION || !o.path("at").isTextual()) {
            throw new IllegalStateException("Not a version " + VERSION + " workflow checkpoint: " + json);
        }
        List<JsonNode> values = new ArrayList<>();
        o.path("scopes").forEach(s -> s.path("variables").forEach(values::add));
        o.path("arguments").forEach(values::add);
        o.path("createdEntities").forEach(values::add);
        CheckpointValues.Reader r = new CheckpointValues.Reader(values.toArray(JsonNode[]::new));
        List<SavedScope> scopes = new ArrayList<>();
        for (JsonNode s : o.path("scopes")) {
            JsonNode owner = s.get("at");
            scopes.add(new SavedScope(owner == null || owner.isNull() ? null : StepPath.parse(owner.textValue()), values(r, s.path("variables"))));
        }
        Map<String, Object> arguments = values(r, o.path("arguments"));
        Map<String, Entity> created = new LinkedHashMap<>();
        values(r, o.path("createdEntities")).forEach((k, v) -> {
            if (!(v instanceof Entity e)) {
                throw new IllegalStateException("The checkpoint holds a non-record in CreatedEntities(\"" + k + "\")");
            }
            created.put(k, e);
        });
        return new RunCheckpoint(StepPath.parse(o.path("at").textValue()), o.path("done").booleanValue(), instant(o, "until"),
                instant(o, "waitingSince"), scopes, arguments, created);
    }

    private static Map<String, Object> values(CheckpointValues.Reader r, JsonNode o) {
        Map<String, Object> out = new LinkedHashMap<>();
        o.fields().forEachRemaining(f -> out.put(f.getKey(), r.read(f.getValue())));
        return out;
    }

    private static Instant instant(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : Instant.parse(v.textValue());
    }
}
