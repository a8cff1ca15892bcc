package dev.dve.engine.workflow.runtime;

import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.AttributeType;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An organization in memory, as a background job's host sees it: {@link #completeStep} runs a step's writes and
 * keeps the run's checkpoint in one "transaction", which a chosen step can make fail after its effect has run
 * (a crash before the commit): then the step's writes and the checkpoint are both rolled back.
 */
final class InMemoryOrganization implements WorkflowHost {
    /** A crash of the node between a step's effect and its commit. */
    static final class Crash extends RuntimeException {
        Crash(StepInfo step) {
            super("crash while completing " + step, null, false, false);
        }
    }

    private static final Map<String, AttributeType> ATTRIBUTES = Map.of(
            "account.name", AttributeType.STRING,
            "account.description", AttributeType.MEMO,
            "account.creditlimit", AttributeType.MONEY,
            "account.creditonhold", AttributeType.BOOLEAN,
            "task.subject", AttributeType.STRING,
            "task.description", AttributeType.MEMO,
            "task.regardingobjectid", AttributeType.LOOKUP);

    private Instant now = Instant.parse("2024-05-01T08:00:00Z");
    private final Map<UUID, Entity> records = new LinkedHashMap<>();
    /** The committed writes, in order, described without ids (ids differ from run to run). */
    private final List<String> writes = new ArrayList<>();
    /** The committed steps, in order. */
    private final List<StepInfo> completed = new ArrayList<>();
    private String checkpoint;
    private Predicate<StepInfo> crashWhen = s -> false;
    private boolean inTransaction;
    /** The inputs of every custom-activity call-out made, in order. */
    private final List<Map<String, Object>> callOuts = new ArrayList<>();

    Instant now(Duration later) {
        now = now.plus(later);
        return now;
    }

    @Override
    public Instant now() {
        return now;
    }

    void crashWhen(Predicate<StepInfo> when) {
        this.crashWhen = when;
    }

    /** The checkpoint committed with the last completed step, or null. */
    String checkpoint() {
        return checkpoint;
    }

    List<String> writes() {
        return writes;
    }

    List<StepInfo> completed() {
        return completed;
    }

    UUID insert(Entity e) {
        UUID id = e.id() == null ? UUID.randomUUID() : e.id();
        Entity stored = e.copy();
        stored.setId(id);
        records.put(id, stored);
        return id;
    }

    Entity record(UUID id) {
        return records.get(id).copy();
    }

    /** Changes a record behind the workflow's back (a user, between two executions of the run). */
    void change(UUID id, String attribute, Object value) {
        records.get(id).set(attribute, value);
    }

    List<Entity> all(String entity) {
        return records.values().stream().filter(e -> e.logicalName().equals(entity)).map(Entity::copy).toList();
    }

    @Override
    public void completeStep(StepInfo step, Runnable effect, Supplier<String> checkpointAfter) {
        Map<UUID, Entity> recordsBefore = new LinkedHashMap<>();
        records.forEach((k, v) -> recordsBefore.put(k, v.copy()));
        int writesBefore = writes.size();
        inTransaction = true;
        try {
            effect.run();
            String after = checkpointAfter.get();
            if (crashWhen.test(step)) {
                throw new Crash(step);
            }
            checkpoint = after;
            completed.add(step);
        } catch (RuntimeException e) {
            records.clear();
            records.putAll(recordsBefore);
            writes.subList(writesBefore, writes.size()).clear();
            throw e;
        } finally {
            inTransaction = false;
        }
    }

    @Override
    public Optional<Entity> retrieve(String entity, UUID id) {
        Entity e = records.get(id);
        return e == null || !e.logicalName().equals(entity) ? Optional.empty() : Optional.of(e.copy());
    }

    @Override
    public UUID create(Entity entity) {
        UUID id = insert(entity);
        writes.add("create " + describe(entity));
        return id;
    }

    @Override
    public void update(Entity entity) {
        Entity stored = records.get(entity.id());
        entity.attributes().forEach(stored::set);
        writes.add("update " + describe(entity));
    }

    @Override
    public UUID sendEmail(Entity email, Map<String, List<EntityReference>> parties) {
        return create(email);
    }

    @Override
    public void startChildWorkflow(UUID workflowId, EntityReference target) {
        writes.add("start " + workflowId + " on " + target.logicalName());
    }

    @Override
    public Map<String, Object> customActivity(String typeName, Map<String, Object> inputs) {
        if (inTransaction) {
            throw new AssertionError("a call-out inside a step's transaction");
        }
        callOuts.add(inputs);
        return Map.of("ErpNumber", "ERP-" + callOuts.size());
    }

    List<Map<String, Object>> callOuts() {
        return callOuts;
    }

    @Override
    public Optional<AttributeMetadata> attribute(String entity, String attribute) {
        AttributeType type = ATTRIBUTES.get(entity + "." + attribute);
        return type == null ? Optional.empty()
                : Optional.of(new AttributeMetadata(attribute, type, null, null, null, null, null, true, true, null, List.of(), null, List.of(), false, false));
    }

    @Override
    public Optional<String> primaryIdAttribute(String entity) {
        return switch (entity) {
            case "account" -> Optional.of("accountid");
            case "task" -> Optional.of("activityid");
            default -> Optional.empty();
        };
    }

    @Override
    public String primaryName(EntityReference reference) {
        Entity e = records.get(reference.id());
        return e == null ? null : String.valueOf(e.get(e.logicalName().equals("task") ? "subject" : "name"));
    }

    private static String describe(Entity e) {
        Map<String, Object> sorted = new TreeMap<>();
        e.attributes().forEach((k, v) -> sorted.put(k, v instanceof EntityReference r ? "->" + r.logicalName() : v));
        return e.logicalName() + sorted;
    }
}
