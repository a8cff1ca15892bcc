package dev.dve.engine.workflow;

import dev.dve.engine.workflow.runtime.WorkflowHost;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.InjectedFaults;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A background run's host with the faults a test injected ({@code POST /admin/faults}): before each SDK call the run
 * makes, one injected fault that applies to its workflow is used up and thrown as the organization service would
 * throw it — so every row of the async service's error table can be reproduced on demand.
 */
final class FaultingHost extends ForwardingHost {
    static final String ORGANIZATION_DISABLED = "organizationDisabled";
    static final String SERVER_BUSY = "serverBusy";
    static final String SQL_ERROR = "sqlError";
    static final String WORKFLOW_SYSTEM_PAUSED = "workflowSystemPaused";
    static final List<String> SDK_CALL_FAULTS = List.of(ORGANIZATION_DISABLED, SERVER_BUSY, SQL_ERROR);
    private final InjectedFaults faults;
    private final List<UUID> workflowIds;

    FaultingHost(WorkflowHost host, InjectedFaults faults, List<UUID> workflowIds) {
        super(host);
        this.faults = faults;
        this.workflowIds = workflowIds;
    }

    private void sdkCall() {
        String kind = faults.consume(workflowIds, SDK_CALL_FAULTS);
        if (kind == null) {
            return;
        }
        throw switch (kind) {
            case ORGANIZATION_DISABLED -> new DataverseFault(ErrorCode.ORGANIZATION_DISABLED, "The organization is disabled.");
            case SERVER_BUSY -> new DataverseFault(ErrorCode.SERVER_BUSY, "Server is busy and the request was not completed. Try again later.");
            case SQL_ERROR -> new DataverseFault(ErrorCode.SQL_ERROR, 500, "Generic SQL error.", new SQLException("injected SQL error", "40001"));
            default -> new IllegalStateException("unknown injected fault " + kind);
        };
    }

    @Override
    public Optional<Entity> retrieve(String entity, UUID id) {
        sdkCall();
        return host.retrieve(entity, id);
    }

    @Override
    public UUID create(Entity entity) {
        sdkCall();
        return host.create(entity);
    }

    @Override
    public void update(Entity entity) {
        sdkCall();
        host.update(entity);
    }

    @Override
    public UUID sendEmail(Entity email, Map<String, List<EntityReference>> parties) {
        sdkCall();
        return host.sendEmail(email, parties);
    }

    @Override
    public void startChildWorkflow(UUID workflowId, EntityReference target) {
        sdkCall();
        host.startChildWorkflow(workflowId, target);
    }

}
