package dev.dve.engine.workflow.runtime;

import dev.dve.metadata.AttributeMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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

    /** The primary name of a record, for a lookup read as text. */
    String primaryName(EntityReference reference);
}
