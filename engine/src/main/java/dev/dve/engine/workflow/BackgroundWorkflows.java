package dev.dve.engine.workflow;

import dev.dve.auth.CallerContext;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.async.JobExecution;
import dev.dve.engine.async.JobFailure;
import dev.dve.engine.async.JobFault;
import dev.dve.engine.async.JobHandler;
import dev.dve.engine.async.JobOutcome;
import dev.dve.engine.workflow.runtime.WorkflowInterpreter;
import dev.dve.engine.workflow.runtime.WorkflowRun;
import dev.dve.engine.workflow.runtime.WorkflowStopped;
import dev.dve.engine.workflow.runtime.WorkflowWaiting;
import dev.dve.fault.ErrorCode;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.util.List;
import java.util.UUID;

/**
 * Runs background workflow jobs ({@code operationtype} 10) for the async service: a deactivated workflow's queued
 * jobs are canceled in one statement, a job whose record is gone is suspended, and the run goes as the workflow's
 * owner (an event) or as the user who started it ({@code ExecuteWorkflow}), one level deeper than the job.
 */
public final class BackgroundWorkflows implements JobHandler {
    private final WorkflowEngine engine;
    private final OrganizationService service;
    private final dev.dve.store.Database database;
    private final dev.dve.store.InjectedFaults faults;

    public BackgroundWorkflows(WorkflowEngine engine, OrganizationService service, dev.dve.store.Database database,
            dev.dve.store.InjectedFaults faults) {
        this.engine = engine;
        this.service = service;
        this.database = database;
        this.faults = faults;
    }

    @Override
    public int operationType() {
        return WorkflowExecution.OPERATION_WORKFLOW;
    }

    @Override
    public boolean workflow() {
        return true;
    }

    @Override
    public JobOutcome run(JobExecution execution) {
        Entity job = execution.job();
        EntityReference activationRef = job.get("workflowactivationid") instanceof EntityReference r ? r : null;
        Entity activation = activationRef == null ? null : service.find(WellKnownPrincipals.SYSTEM, "workflow", activationRef.id()).orElse(null);
        if (activation == null || !Integer.valueOf(1).equals(activation.get("statecode"))) {
            if (activationRef != null) {
                execution.cancelQueuedOf(activationRef.id());
            }
            return new JobOutcome.Canceled("The workflow was deactivated before this job ran.");
        }
        if (faults.active(FaultingHost.WORKFLOW_SYSTEM_PAUSED)) {
            throw new JobFault(new JobFailure(JobFailure.Disposition.SUSPEND, ErrorCode.WORKFLOW_SYSTEM_PAUSED.signed(),
                    "The workflow system is paused; the job waits until it is resumed."));
        }
        EntityReference regarding = job.get("regardingobjectid") instanceof EntityReference r ? r : null;
        Entity record = null;
        if (regarding != null) {
            record = service.find(WellKnownPrincipals.SYSTEM, regarding.logicalName(), regarding.id())
                    .orElseThrow(() -> new JobFault(new JobFailure(JobFailure.Disposition.SUSPEND, ErrorCode.REGARDING_RECORD_MISSING.signed(),
                            "The record associated with this workflow (" + regarding.logicalName() + " " + regarding.id() + ") cannot be found.")));
        }
        int depth = job.get("depth") instanceof Integer d ? d : 1;
        CallerContext runAs = runAs(job).atDepth(depth).deeper();
        List<UUID> workflowIds = new java.util.ArrayList<>(List.of(activation.id()));
        if (activation.get("parentworkflowid") instanceof EntityReference definition) {
            workflowIds.add(definition.id());
        }
        JobSteps steps = new JobSteps(engine.host(runAs, runAs), execution, service, database, regarding, runAs);
        WorkflowRun run = new WorkflowRun(new FaultingHost(steps, faults, workflowIds), record, null, false);
        if (execution.checkpoint() != null) {
            run.resumeFrom(execution.checkpoint());
        }
        try {
            WorkflowInterpreter.execute(engine.definition(activation), run);
        } catch (WorkflowStopped stopped) {
            return new JobOutcome.Canceled(stopped.getMessage());
        } catch (WorkflowWaiting waiting) {
            // the checkpoint at the waiting step: the job re-enters it when it wakes
            execution.saveCheckpoint(waiting.checkpoint());
            steps.logWait(waiting);
            boolean condition = waiting.step() != null && "Wait".equals(waiting.step().kind());
            return new JobOutcome.Waiting(waiting.until(), condition);
        }
        return new JobOutcome.Succeeded(Boolean.TRUE.equals(activation.get("asyncautodelete")));
    }

    /** An on-demand run goes as the user who started it; one an event started goes as the job's owner (the workflow's). */
    private CallerContext runAs(Entity job) {
        EntityReference user = "ExecuteWorkflow".equals(job.get("messagename")) && job.get("createdby") instanceof EntityReference c
                ? c : job.get("ownerid") instanceof EntityReference o && o.logicalName().equals("systemuser") ? o : null;
        if (user == null) {
            return WellKnownPrincipals.SYSTEM;
        }
        Entity row = service.retrieve(WellKnownPrincipals.SYSTEM, "systemuser", user.id(), List.of("businessunitid"), false);
        UUID bu = ((EntityReference) row.get("businessunitid")).id();
        return new CallerContext(user.id(), bu);
    }
}
