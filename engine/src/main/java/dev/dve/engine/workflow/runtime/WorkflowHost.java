package dev.dve.engine.workflow.runtime;

import dev.dve.metadata.AttributeMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** What a running workflow may do to the organization: every call goes through the organization service as the run-as user. */
public interface WorkflowHost {
    Instant now();

    Optional<Entity> retrieve(String entity, UUID id);

    UUID create(Entity entity);

    void update(Entity entity);

    /** Creates an e-mail with its sender and recipients and sends it. */
    UUID sendEmail(Entity email, Map<String, List<EntityReference>> parties);

    void startChildWorkflow(UUID workflowId, EntityReference target);

    /** Runs a custom code activity through its HTTP call-out; answers the output arguments. */
    Map<String, Object> customActivity(String typeName, Map<String, Object> inputs);

    Optional<AttributeMetadata> attribute(String entity, String attribute);

    /** The primary key column of a table as its metadata names it ({@code activityid} for a task); empty when there is no such table. */
    Optional<String> primaryIdAttribute(String entity);

    /** The primary name of a record, for a lookup read as text. */
    String primaryName(EntityReference reference);

    /**
     * Completes one effectful step (create, update, send e-mail, assign, set state, start child workflow, the
     * outputs of a custom activity). {@code effect} makes the step's calls to this host and its variable assignments;
     * {@code checkpointAfter}, asked after {@code effect} has run, answers the run's state right after the step (see
     * {@link WorkflowRun#resumeFrom(String)}). A background host runs both in one transaction so a resumed run never
     * repeats a step whose writes committed; a real-time run has nothing to resume, so by default the step just runs.
     * Whatever {@code effect} throws goes to the caller unchanged.
     */
    default void completeStep(StepInfo step, Runnable effect, Supplier<String> checkpointAfter) {
        effect.run();
    }
}
