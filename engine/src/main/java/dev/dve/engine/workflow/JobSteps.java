package dev.dve.engine.workflow;

import dev.dve.auth.CallerContext;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.async.JobExecution;
import dev.dve.engine.async.JobInterrupted;
import dev.dve.engine.workflow.runtime.StepInfo;
import dev.dve.engine.workflow.runtime.WorkflowHost;
import dev.dve.engine.workflow.runtime.WorkflowWaiting;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.Database;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The step boundary of a background run: each step's writes, the run's checkpoint and the step's {@code workflowlog}
 * row commit in one transaction, after checking that nobody asked the job to pause or cancel meanwhile — so a resumed,
 * retried or taken-over job continues after its last completed step and never repeats one. A failed step's log row is
 * written in a transaction of its own, as the step's own writes roll back.
 */
final class JobSteps extends ForwardingHost {
    private final JobExecution execution;
    private final OrganizationService service;
    private final Database database;
    private final EntityReference regarding;
    private final CallerContext runAs;

    JobSteps(WorkflowHost host, JobExecution execution, OrganizationService service, Database database, EntityReference regarding,
            CallerContext runAs) {
        super(host);
        this.execution = execution;
        this.service = service;
        this.database = database;
        this.regarding = regarding;
        this.runAs = runAs;
    }

    @Override
    public void completeStep(StepInfo step, Runnable effect, Supplier<String> checkpointAfter) {
        Instant started = execution.now();
        try {
            database.inTransaction(c -> {
                execution.checkStillWanted();
                effect.run();
                execution.saveCheckpoint(checkpointAfter.get());
                log(step, 2, started, null);
                return null;
            });
        } catch (JobInterrupted stop) {
            throw stop;
        } catch (RuntimeException e) {
            database.inNewTransaction(c -> {
                log(step, 3, started, e);
                return null;
            });
            throw e;
        }
    }

    /** A waiting step's log row (status Waiting). */
    void logWait(WorkflowWaiting waiting) {
        StepInfo step = waiting.step() != null ? waiting.step() : new StepInfo("Wait", "Wait", "");
        database.inTransaction(c -> {
            log(step, 5, execution.now(), null);
            return null;
        });
    }

    private void log(StepInfo step, int status, Instant started, RuntimeException error) {
        Entity row = new Entity("workflowlog")
                .set("asyncoperationid", new EntityReference("asyncoperation", execution.job().id()))
                .set("stepname", truncate(step.name(), 160))
                .set("activityname", truncate(step.kind(), 160))
                .set("status", status)
                .set("startedon", started)
                .set("completedon", status == 5 ? null : execution.now())
                .set("ownerid", new EntityReference("systemuser", runAs.userId()));
        // objecttypecode (system-required): the table the process runs on, named by the job when there is no regarding record
        row.set("objecttypecode", regarding != null ? regarding.logicalName() : execution.job().get("primaryentitytype"));
        if (regarding != null) {
            row.set("regardingobjectid", regarding);
        }
        if (error != null) {
            String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
            row.set("errortext", truncate(message, 1000)).set("message", truncate(message, 100000));
            if (error instanceof DataverseFault f) {
                row.set("errorcode", f.code().signed());
            }
        }
        service.createTrusted(WellKnownPrincipals.SYSTEM, row, false);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public Map<String, Object> customActivity(String typeName, Map<String, Object> inputs) {
        // the call-out runs outside any transaction: the step boundary opens one only for its outputs
        execution.checkStillWanted();
        return host.customActivity(typeName, inputs);
    }

}
