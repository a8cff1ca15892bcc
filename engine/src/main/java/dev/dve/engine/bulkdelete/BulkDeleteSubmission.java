package dev.dve.engine.bulkdelete;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The BulkDelete message: checks the caller holds {@code prvBulkDelete}, reads every query of the QuerySet (so a query
 * the emulator cannot run is refused now, not when the job runs) and queues a Bulk Delete system job
 * ({@code asyncoperation}, operation type 13) with its {@code bulkdeleteoperation}, in one transaction. The job keeps
 * the QuerySet in {@code data} and waits for {@code StartDateTime} when one is given; its id is the answer (JobId).
 */
public final class BulkDeleteSubmission {
    public static final int OPERATION_BULK_DELETE = 13;
    public static final String MESSAGE = "BulkDelete";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OrganizationService service;
    private final MetadataCatalog catalog;
    private final Database database;
    private final AccessPolicy access;
    private final Supplier<Instant> clock;

    /** What a client asks for; the parameters the emulator does not act on are listed in the README. */
    public record Request(JsonNode querySet, String jobName, Instant startDateTime, String recurrencePattern) {
    }

    public BulkDeleteSubmission(OrganizationService service, MetadataCatalog catalog, Database database, AccessPolicy access,
            Supplier<Instant> clock) {
        this.service = service;
        this.catalog = catalog;
        this.database = database;
        this.access = access;
        this.clock = clock;
    }

    public UUID submit(CallerContext caller, Request request) {
        return database.inTransaction(c -> {
            SecurityPrincipal p = service.securityPrincipal(caller);
            if (p != null) {
                access.requireSpecial(p, PrivilegeCatalog.BULK_DELETE, catalog.require("bulkdeleteoperation"));
            }
            if (request.jobName() == null || request.jobName().isBlank()) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Request message has unresolved parameters: JobName is required.");
            }
            if (request.recurrencePattern() != null && !request.recurrencePattern().isBlank()) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Recurring bulk delete jobs (RecurrencePattern '"
                        + request.recurrencePattern() + "') are not supported by the emulator; submit a job per run.");
            }
            new QueryExpressionReader(catalog).readAll(request.querySet(), clock.get());
            ObjectNode data = JSON.createObjectNode();
            data.set("QuerySet", request.querySet());
            UUID jobId = UUID.randomUUID();
            UUID operationId = UUID.randomUUID();
            EntityReference owner = new EntityReference("systemuser", caller.userId());
            // the bulk delete operation first (it names the job, which does not exist yet), then the job regarding it
            service.createTrusted(caller, new Entity("bulkdeleteoperation", operationId)
                    .set("name", request.jobName())
                    .set("asyncoperationid", new EntityReference("asyncoperation", jobId))
                    .set("isrecurring", false)
                    .set("nextrun", request.startDateTime())
                    .set("statecode", 0).set("statuscode", 0)
                    .set("successcount", 0).set("failurecount", 0)
                    .set("ownerid", owner), false);
            Entity job = new Entity("asyncoperation", jobId)
                    .set("name", request.jobName())
                    .set("operationtype", OPERATION_BULK_DELETE)
                    .set("statecode", 0).set("statuscode", 0)
                    .set("messagename", MESSAGE)
                    .set("primaryentitytype", "bulkdeleteoperation")
                    .set("regardingobjectid", new EntityReference("bulkdeleteoperation", operationId))
                    .set("data", data.toString())
                    .set("depth", caller.depth())
                    .set("ownerid", owner);
            if (request.startDateTime() != null) {
                job.set("postponeuntil", request.startDateTime());
            }
            service.createTrusted(caller, job);
            return jobId;
        });
    }
}
