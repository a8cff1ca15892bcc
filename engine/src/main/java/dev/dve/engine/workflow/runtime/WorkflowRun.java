package dev.dve.engine.workflow.runtime;

import dev.dve.record.Entity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The state of one run: the primary record and its related records ({@code InputEntities}), the records the
 * steps build ({@code CreatedEntities}), the action's input arguments, and whether it runs in a pre-operation
 * stage (where an update of the primary record changes the values being written instead); or, resumed, the
 * checkpoint it continues from.
 */
public final class WorkflowRun {
    final WorkflowHost host;
    final Map<String, Entity> inputEntities = new LinkedHashMap<>();
    final Map<String, Entity> createdEntities = new LinkedHashMap<>();
    final Map<String, Object> arguments = new LinkedHashMap<>();
    final Entity target;
    final boolean preOperation;
    final Instant startedOn;
    RunCheckpoint checkpoint;

    /**
     * @param primary      the primary record as the workflow sees it (null for a global action)
     * @param target       in a pre-operation stage, the in-flight values being written (else null)
     */
    public WorkflowRun(WorkflowHost host, Entity primary, Entity target, boolean preOperation) {
        this.host = host;
        this.target = target;
        this.preOperation = preOperation;
        this.startedOn = host.now();
        if (primary != null) {
            inputEntities.put("primaryEntity", primary);
        }
    }

    /**
     * Makes this run continue from a checkpoint (from {@link WorkflowHost#completeStep} or {@link WorkflowWaiting})
     * instead of starting: it goes straight to the checkpoint's step with the variables, created records and
     * arguments it saved, and the primary record given to this run, read again by the caller.
     */
    public WorkflowRun resumeFrom(String checkpointJson) {
        this.checkpoint = RunCheckpoint.fromJson(checkpointJson);
        return this;
    }

    public Map<String, Object> arguments() {
        return arguments;
    }

    UUID primaryId() {
        Entity p = inputEntities.get("primaryEntity");
        return p == null ? null : p.id();
    }
}
