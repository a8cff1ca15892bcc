package dev.dve.engine.workflow;

import dev.dve.auth.CallerContext;
import dev.dve.auth.security.AccessPolicy;
import dev.dve.auth.security.PrivilegeCatalog;
import dev.dve.auth.security.SecurityPrincipal;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.Database;

import java.util.List;
import java.util.UUID;

/**
 * The ExecuteWorkflow message: starts an activated on-demand (or child) workflow on a record as the calling
 * user, which needs Execute Workflow Job ({@code prvWorkflowExecution}). The run is a system job
 * ({@code asyncoperation}, operation type 10) queued for the async service; its id is the answer.
 */
public final class WorkflowExecution {
    public static final int OPERATION_WORKFLOW = 10;
    private final OrganizationService service;
    private final WorkflowEngine engine;
    private final MetadataCatalog catalog;
    private final Database database;
    private final AccessPolicy access;

    public WorkflowExecution(OrganizationService service, WorkflowEngine engine, MetadataCatalog catalog, Database database,
            AccessPolicy access) {
        this.service = service;
        this.engine = engine;
        this.catalog = catalog;
        this.database = database;
        this.access = access;
    }

    public UUID execute(CallerContext caller, UUID workflowId, UUID entityId) {
        return database.inTransaction(c -> {
            SecurityPrincipal p = service.securityPrincipal(caller);
            if (p != null) {
                access.requireSpecial(p, PrivilegeCatalog.EXECUTE_WORKFLOW, catalog.require("workflow"));
            }
            Entity workflow = service.retrieve(caller, "workflow", workflowId,
                    List.of("name", "statecode", "ondemand", "subprocess", "primaryentity", "activeworkflowid", "type"), false);
            if (!Integer.valueOf(WorkflowRules.STATE_ACTIVATED).equals(workflow.get("statecode"))) {
                throw new DataverseFault(ErrorCode.WORKFLOW_NOT_PUBLISHED, "Workflow must be in Published state.");
            }
            if (!Boolean.TRUE.equals(workflow.get("ondemand")) && !Boolean.TRUE.equals(workflow.get("subprocess"))) {
                throw new DataverseFault(ErrorCode.WORKFLOW_NOT_ON_DEMAND, "Workflow must be marked as on-demand or child workflow.");
            }
            String entity = (String) workflow.get("primaryentity");
            if (entityId == null) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "EntityId is required.");
            }
            service.retrieve(caller, entity, entityId, List.of(), false);
            UUID activationId = workflow.get("activeworkflowid") instanceof EntityReference r ? r.id() : workflowId;
            Entity activation = service.retrieve(dev.dve.auth.WellKnownPrincipals.SYSTEM, "workflow", activationId, List.of("name"), false);
            return engine.queueJob(caller, activation, new EntityReference(entity, entityId), "ExecuteWorkflow", caller.depth(),
                    new EntityReference("systemuser", caller.userId()));
        });
    }
}
