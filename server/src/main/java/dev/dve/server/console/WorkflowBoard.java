package dev.dve.server.console;

import dev.dve.auth.CallerContext;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.workflow.xaml.XamlException;
import dev.dve.engine.workflow.xaml.XamlParser;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.JobQueue;
import dev.dve.store.platform.ConsolePendingChangeTable;
import dev.dve.store.platform.ConsolePendingChangeTable.PendingChange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The console's Workflows page: one row per workflow definition with its backlog and status, Start/Stop, and edits —
 * written at once to a stopped workflow, kept as a pending change for a running one until it is stopped and started.
 * Everything goes through the organization service as the console's caller.
 */
public final class WorkflowBoard {
    /** A workflow whose last this many ended jobs all failed is FAILED. */
    static final int FAILED_RUN = 3;
    private static final int TYPE_DEFINITION = 1;
    private static final int CATEGORY_WORKFLOW = 0;
    private static final int OPERATION_WORKFLOW = 10;
    private final OrganizationService service;
    private final ConsolePendingChangeTable pending;
    private final Supplier<Instant> now;

    /** A row of the page; {@code pending} is the edit waiting for Stop and Start (null: none). */
    public record Row(UUID id, String name, String description, String primaryEntity, int mode, String status, int statecode,
                      long backlog, PendingChange pending, String problem) {
    }

    public WorkflowBoard(OrganizationService service, ConsolePendingChangeTable pending, Supplier<Instant> now) {
        this.service = service;
        this.pending = pending;
        this.now = now;
    }

    /** The workflow definitions (category Workflow), by name. */
    public List<Row> rows(CallerContext caller) {
        QueryExpression q = new QueryExpression("workflow")
                .where(Condition.of("type", ConditionOperator.EQUAL, TYPE_DEFINITION))
                .where(Condition.of("category", ConditionOperator.EQUAL, CATEGORY_WORKFLOW))
                .orderBy("name", false);
        List<Row> out = new ArrayList<>();
        for (Entity w : service.retrieveMultiple(caller, q, false).entities()) {
            out.add(row(caller, w));
        }
        return out;
    }

    public Row row(CallerContext caller, UUID id) {
        return row(caller, definition(caller, id));
    }

    /** The XAML the edit form starts from: the pending change's, else the definition's. */
    public String xaml(CallerContext caller, UUID id) {
        Entity w = definition(caller, id);
        return pending.get(id).map(PendingChange::xaml).orElse((String) w.get("xaml"));
    }

    /** Start: applies a pending change to the draft, then activates it, as one unit; a refused activation keeps the change. */
    public Row start(CallerContext caller, UUID id) {
        Entity w = definition(caller, id);
        if (!active(w)) {
            service.inOneTransaction(() -> {
                Optional<PendingChange> change = pending.get(id);
                change.ifPresent(p -> service.update(caller, new Entity("workflow", id)
                        .set("name", p.name()).set("description", p.description()).set("xaml", p.xaml()), null));
                service.update(caller, new Entity("workflow", id).set("statecode", 1).set("statuscode", 2), null);
                change.ifPresent(p -> pending.remove(id));
                return null;
            });
        }
        return row(caller, id);
    }

    /** Stop: deactivates; a pending change stays until the next Start. */
    public Row stop(CallerContext caller, UUID id) {
        Entity w = definition(caller, id);
        if (active(w)) {
            service.update(caller, new Entity("workflow", id).set("statecode", 0).set("statuscode", 1), null);
        }
        return row(caller, id);
    }

    /**
     * The Edit form: a running workflow keeps the change pending; a stopped one is written at once, together with what a
     * change pending from before the Stop held for the fields this edit leaves out (null), which is then done with.
     */
    public Row edit(CallerContext caller, UUID id, String name, String description, String xaml) {
        Entity w = definition(caller, id);
        if (name != null && name.isBlank()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "A workflow needs a name.");
        }
        if (xaml != null) {
            try {
                XamlParser.parse(xaml);
            } catch (XamlException e) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The XAML cannot be read: " + e.getMessage());
            }
        }
        if (active(w)) {
            Optional<PendingChange> before = pending.get(id);
            String n = name != null ? name : before.map(PendingChange::name).orElse((String) w.get("name"));
            String d = description != null ? description : before.map(PendingChange::description).orElse((String) w.get("description"));
            String x = xaml != null ? xaml : before.map(PendingChange::xaml).orElse((String) w.get("xaml"));
            // only System Administrators get past the console's gate, so the caller may write the workflow when it starts
            pending.put(new PendingChange(id, n, d, x, caller.userId(), now.get()));
        } else {
            // a change still pending from before the Stop is not lost: the fields this edit leaves out come from it
            Optional<PendingChange> before = pending.get(id);
            Entity changes = new Entity("workflow", id);
            String n = name != null ? name : before.map(PendingChange::name).orElse(null);
            String d = description != null ? description : before.map(PendingChange::description).orElse(null);
            String x = xaml != null ? xaml : before.map(PendingChange::xaml).orElse(null);
            if (n != null) {
                changes.set("name", n);
            }
            if (d != null || before.isPresent()) {
                changes.set("description", d);
            }
            if (x != null) {
                changes.set("xaml", x);
            }
            service.inOneTransaction(() -> {
                service.update(caller, changes, null);
                pending.remove(id);
                return null;
            });
        }
        return row(caller, id);
    }

    private Entity definition(CallerContext caller, UUID id) {
        Entity w = service.retrieve(caller, "workflow", id, null, false);
        if (!Integer.valueOf(TYPE_DEFINITION).equals(w.get("type")) || !Integer.valueOf(CATEGORY_WORKFLOW).equals(w.get("category"))) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Workflow " + id + " is not a workflow definition; the console lists only those.");
        }
        return w;
    }

    private static boolean active(Entity w) {
        return Integer.valueOf(1).equals(w.get("statecode"));
    }

    private Row row(CallerContext caller, Entity w) {
        List<Entity> activations = service.retrieveMultiple(caller, new QueryExpression("workflow")
                .where(Condition.of("parentworkflowid", ConditionOperator.EQUAL, w.id())), false).entities();
        List<Object> ids = new ArrayList<>();
        activations.forEach(a -> ids.add(a.id()));
        long backlog = 0;
        List<Entity> recentEnded = List.of();
        if (!ids.isEmpty()) {
            backlog = service.count(caller, jobs(ids).where(Condition.of("statecode", ConditionOperator.EQUAL, 0)))
                    + service.count(caller, jobs(ids).where(Condition.of("statecode", ConditionOperator.EQUAL, 1))
                    .where(Condition.of("postponeuntil", ConditionOperator.LESS_THAN, JobQueue.FOREVER)));
            recentEnded = service.retrieveMultiple(caller, jobs(ids).where(Condition.of("statecode", ConditionOperator.EQUAL, 3))
                    .columns(List.of("statuscode", "completedon")).orderBy("completedon", true).top(FAILED_RUN), false).entities();
        }
        String status;
        String problem = null;
        if (!active(w)) {
            status = "STOPPED";
        } else {
            problem = loadProblem(w, activations);
            if (problem == null && recentEnded.size() == FAILED_RUN
                    && recentEnded.stream().allMatch(j -> Integer.valueOf(31).equals(j.get("statuscode")))) {
                problem = "Its last " + FAILED_RUN + " system jobs failed.";
            }
            status = problem == null ? "RUNNING" : "FAILED";
        }
        int mode = w.get("mode") instanceof Integer m ? m : 0;
        return new Row(w.id(), (String) w.get("name"), (String) w.get("description"), (String) w.get("primaryentity"), mode,
                status, active(w) ? 1 : 0, backlog, pending.get(w.id()).orElse(null), problem);
    }

    /** Why the active copy cannot be run: missing, or its XAML does not parse; null when it can. */
    private static String loadProblem(Entity definition, List<Entity> activations) {
        UUID current = definition.get("activeworkflowid") instanceof EntityReference r ? r.id() : null;
        Entity activation = activations.stream().filter(a -> a.id().equals(current)).findFirst().orElse(null);
        if (activation == null) {
            return "It has no activated copy.";
        }
        try {
            XamlParser.parse((String) activation.get("xaml"));
            return null;
        } catch (XamlException | IllegalArgumentException e) {
            return "Its XAML does not load: " + e.getMessage();
        }
    }

    private static QueryExpression jobs(List<Object> activationIds) {
        return new QueryExpression("asyncoperation")
                .where(Condition.of("operationtype", ConditionOperator.EQUAL, OPERATION_WORKFLOW))
                .where(Condition.of("workflowactivationid", ConditionOperator.IN, activationIds.toArray()));
    }
}
