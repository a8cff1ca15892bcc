package dev.dve.engine.bulkdelete;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.auth.CallerContext;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.async.FailureClassifier;
import dev.dve.engine.async.JobExecution;
import dev.dve.engine.async.JobFailure;
import dev.dve.engine.async.JobHandler;
import dev.dve.engine.async.JobInterrupted;
import dev.dve.engine.async.JobOutcome;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.FilterExpression;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.Database;

import java.util.List;
import java.util.UUID;

/**
 * Runs Bulk Delete jobs ({@code operationtype} 13) for the async service. Each query of the job's QuerySet is read
 * again (relative dates are computed when the job runs) and run as the job's owner through the organization
 * service: RetrieveMultiple a page of 1000 ids at a time (after the last id seen, so rows that could not be deleted
 * are passed over, never read again), then Delete each row, so privileges, platform rules (a system job that is not
 * completed, {@code 0x8004416A}) and the event pipeline apply. A row that cannot be deleted counts as a failure; a
 * query that cannot run fails the job. Deleting a system job deletes its {@code workflowlog} rows in the same
 * transaction, as Dataverse's cascade does. After each page the counts go to the job's {@code bulkdeleteoperation}
 * and, with the position, to the job's checkpoint, so a paused, retried or taken-over job continues where it was.
 */
public final class BulkDeleteJobs implements JobHandler {
    static final int PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OrganizationService service;
    private final MetadataCatalog catalog;
    private final Database database;

    public BulkDeleteJobs(OrganizationService service, MetadataCatalog catalog, Database database) {
        this.service = service;
        this.catalog = catalog;
        this.database = database;
    }

    @Override
    public int operationType() {
        return BulkDeleteSubmission.OPERATION_BULK_DELETE;
    }

    /** Where a run is: the query, the last id passed in it, and the counts so far. */
    private static final class Progress {
        int query;
        UUID after;
        int success;
        int failure;

        static Progress of(String checkpoint) {
            Progress p = new Progress();
            if (checkpoint == null) {
                return p;
            }
            try {
                JsonNode n = JSON.readTree(checkpoint);
                p.query = n.path("query").asInt();
                p.after = n.path("after").isTextual() ? UUID.fromString(n.path("after").asText()) : null;
                p.success = n.path("success").asInt();
                p.failure = n.path("failure").asInt();
                return p;
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new IllegalStateException("a bulk delete checkpoint this handler did not write: " + checkpoint, e);
            }
        }

        String json() {
            ObjectNode n = JSON.createObjectNode().put("query", query).put("success", success).put("failure", failure);
            if (after != null) {
                n.put("after", after.toString());
            }
            return n.toString();
        }
    }

    @Override
    public JobOutcome run(JobExecution execution) {
        Entity job = execution.job();
        UUID operation = job.get("regardingobjectid") instanceof EntityReference r && r.logicalName().equals("bulkdeleteoperation") ? r.id() : null;
        Progress progress = Progress.of(execution.checkpoint());
        try {
            List<QueryExpression> queries = new QueryExpressionReader(catalog).readAll(querySet(job), execution.now());
            int depth = job.get("depth") instanceof Integer d ? d : 1;
            CallerContext runAs = owner(job).atDepth(depth).deeper();
            record(operation, progress, 2, 20);
            for (; progress.query < queries.size(); progress.query++, progress.after = null) {
                QueryExpression query = queries.get(progress.query);
                EntityMetadata e = catalog.require(query.entityName());
                while (true) {
                    List<Entity> page = service.retrieveMultiple(runAs, page(query, e, progress.after), false).entities();
                    if (page.isEmpty()) {
                        break;
                    }
                    for (Entity row : page) {
                        if (delete(runAs, e, row.id())) {
                            progress.success++;
                        } else {
                            progress.failure++;
                        }
                        progress.after = row.id();
                    }
                    database.inTransaction(c -> {
                        execution.saveCheckpoint(progress.json());
                        record(operation, progress, null, null);
                        return null;
                    });
                    // on to the next page, after the last id passed, until one comes back empty
                }
            }
            record(operation, progress, 3, 30);
            return new JobOutcome.Succeeded(false);
        } catch (RuntimeException e) {
            // the operation follows the job where the job ends; a retry or a pause leaves it in progress
            if (!(e instanceof JobInterrupted)
                    && FailureClassifier.classify(e, false).disposition() == JobFailure.Disposition.FAIL) {
                record(operation, progress, 3, 31);
            }
            throw e;
        }
    }

    private static JsonNode querySet(Entity job) {
        try {
            return JSON.readTree(String.valueOf(job.get("data"))).path("QuerySet");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bulk delete job " + job.id() + " holds no QuerySet: only BulkDeleteSubmission queues these", e);
        }
    }

    /** The next page of ids: the query's criteria, after the last id passed, in id order. */
    private static QueryExpression page(QueryExpression query, EntityMetadata e, UUID after) {
        String id = e.primaryIdAttribute();
        FilterExpression criteria = FilterExpression.and(query.criteria());
        if (after != null) {
            criteria.add(Condition.of(id, ConditionOperator.GREATER_THAN, after));
        }
        return new QueryExpression(e.logicalName()).columns(List.of(id)).criteria(criteria).orderBy(id, false).top(PAGE);
    }

    /**
     * Deletes one row as the owner, with what its relationships cascade to (a system job's process log rows);
     * answers whether it was deleted.
     */
    private boolean delete(CallerContext runAs, EntityMetadata e, UUID id) {
        try {
            service.delete(runAs, e.logicalName(), id, null);
            return true;
        } catch (DataverseFault f) {
            // refused by a privilege, a platform rule or a plug-in, or deleted meanwhile: Dataverse counts a failure
            return false;
        }
    }

    /** Mirrors the counts (and, when given, the state) on the job's bulk delete operation. */
    private void record(UUID operation, Progress progress, Integer state, Integer status) {
        if (operation == null || service.find(WellKnownPrincipals.SYSTEM, "bulkdeleteoperation", operation).isEmpty()) {
            return;
        }
        Entity changes = new Entity("bulkdeleteoperation", operation).set("successcount", progress.success).set("failurecount", progress.failure);
        if (state != null) {
            changes.set("statecode", state).set("statuscode", status);
        }
        service.updateTrusted(WellKnownPrincipals.SYSTEM, changes);
    }

    /** The job runs as the user who submitted it: its owner. */
    private CallerContext owner(Entity job) {
        if (!(job.get("ownerid") instanceof EntityReference o) || !o.logicalName().equals("systemuser")) {
            throw new IllegalStateException("bulk delete job " + job.id() + " is not owned by a user: only BulkDeleteSubmission queues these");
        }
        Entity user = service.retrieve(WellKnownPrincipals.SYSTEM, "systemuser", o.id(), List.of("businessunitid"), false);
        return new CallerContext(o.id(), ((EntityReference) user.get("businessunitid")).id());
    }
}
