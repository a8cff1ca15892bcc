package dev.dve.engine.workflow;

import dev.dve.engine.workflow.runtime.StepInfo;
import dev.dve.engine.workflow.runtime.WorkflowHost;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** A host that hands every call to another; the layers of a background run override only what they change. */
abstract class ForwardingHost implements WorkflowHost {
    protected final WorkflowHost host;

    ForwardingHost(WorkflowHost host) {
        this.host = host;
    }

    @Override
    public Instant now() {
        return host.now();
    }

    @Override
    public void completeStep(StepInfo step, Runnable effect, Supplier<String> checkpointAfter) {
        host.completeStep(step, effect, checkpointAfter);
    }

    @Override
    public Optional<Entity> retrieve(String entity, UUID id) {
        return host.retrieve(entity, id);
    }

    @Override
    public UUID create(Entity entity) {
        return host.create(entity);
    }

    @Override
    public void update(Entity entity) {
        host.update(entity);
    }

    @Override
    public UUID sendEmail(Entity email, Map<String, List<EntityReference>> parties) {
        return host.sendEmail(email, parties);
    }

    @Override
    public void startChildWorkflow(UUID workflowId, EntityReference target) {
        host.startChildWorkflow(workflowId, target);
    }

    @Override
    public Map<String, Object> customActivity(String typeName, Map<String, Object> inputs) {
        return host.customActivity(typeName, inputs);
    }

    @Override
    public Optional<AttributeMetadata> attribute(String entity, String attribute) {
        return host.attribute(entity, attribute);
    }

    @Override
    public Optional<String> primaryIdAttribute(String entity) {
        return host.primaryIdAttribute(entity);
    }

    @Override
    public String primaryName(EntityReference reference) {
        return host.primaryName(reference);
    }
}
