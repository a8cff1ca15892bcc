package dev.dve.engine.workflow;

import dev.dve.auth.CallerContext;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.organization.EventPipeline;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.workflow.runtime.WorkflowFailure;
import dev.dve.engine.workflow.runtime.WorkflowInterpreter;
import dev.dve.engine.workflow.runtime.WorkflowRun;
import dev.dve.engine.workflow.runtime.WorkflowStopped;
import dev.dve.engine.workflow.runtime.WorkflowWaiting;
import dev.dve.engine.workflow.xaml.Step;
import dev.dve.engine.workflow.xaml.WorkflowDefinition;
import dev.dve.engine.workflow.xaml.XamlException;
import dev.dve.engine.workflow.xaml.XamlParser;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.Database;

import java.util.ArrayList;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The workflow engine in the event pipeline. For workflow rows it enforces the definition's life cycle
 * (validation and a frozen activation copy on activation, no edits while activated). For every other operation
 * it runs the matching real-time workflows at their stage, by rank, in the operation's transaction, and queues
 * the matching background workflows as system jobs in the same transaction.
 */
public final class WorkflowEngine implements EventPipeline {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkflowEngine.class);
    public static final int STAGE_PRE = 20;
    public static final int STAGE_POST = 40;
    private static final int TYPE_DEFINITION = 1;
    private static final int TYPE_ACTIVATION = 2;
    private static final Set<String> LOCKED = Set.of("xaml", "mode", "primaryentity", "category", "type", "triggeroncreate",
            "triggerondelete", "triggeronupdateattributelist", "createstage", "updatestage", "deletestage", "ondemand",
            "subprocess", "scope", "runas", "rank");
    private final OrganizationService service;
    private final MetadataCatalog catalog;
    private final Database database;
    private final Supplier<Instant> clock;
    private final CustomActivities customActivities;
    private final Map<UUID, WorkflowDefinition> parsed = new ConcurrentHashMap<>();

    public WorkflowEngine(OrganizationService service, MetadataCatalog catalog, Database database, Supplier<Instant> clock,
            CustomActivities customActivities) {
        this.service = service;
        this.catalog = catalog;
        this.database = database;
        this.clock = clock;
        this.customActivities = customActivities;
    }

    public CustomActivities customActivities() {
        return customActivities;
    }

    // ------------------------------------------------------------------ pipeline

    @Override
    public void preOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        if (entity.logicalName().equals("workflow")) {
            definitionRules(message, caller, existing, target);
            return;
        }
        runRealTime(message, STAGE_PRE, caller, entity, existing, target);
    }

    @Override
    public void postOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        if (entity.logicalName().equals("workflow")) {
            if (message == Message.UPDATE) {
                activationChanges(existing, target);
            }
            return;
        }
        runRealTime(message, STAGE_POST, caller, entity, existing, target);
        queueBackground(message, caller, entity, existing, target);
        if (message == Message.UPDATE && target.id() != null) {
            recordChanged.accept(target.id());
        }
    }

    /** Told of every updated record, in the update's transaction: jobs waiting on a condition about it test it again. */
    private java.util.function.Consumer<UUID> recordChanged = id -> { };

    public void onRecordChanged(java.util.function.Consumer<UUID> listener) {
        this.recordChanged = listener;
    }

    // ------------------------------------------------------------------ definitions and activation

    private static boolean platform(CallerContext caller) {
        return WellKnownPrincipals.SYSTEM_USER.equals(caller.userId());
    }

    private void definitionRules(Message message, CallerContext caller, Entity existing, Entity target) {
        if (platform(caller)) {
            return;
        }
        if (message == Message.CREATE) {
            if (Integer.valueOf(TYPE_ACTIVATION).equals(target.get("type"))) {
                throw new DataverseFault(ErrorCode.UPDATE_WORKFLOW_ACTIVATION, "Cannot create a workflow activation; activate the definition instead.");
            }
            if (Integer.valueOf(1).equals(target.get("statecode"))) {
                throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "Create the workflow as a draft, then activate it with statecode 1.");
            }
            return;
        }
        boolean activation = Integer.valueOf(TYPE_ACTIVATION).equals(existing.get("type"));
        if (message == Message.DELETE) {
            if (activation) {
                throw new DataverseFault(ErrorCode.UPDATE_WORKFLOW_ACTIVATION, "Cannot delete a workflow activation.");
            }
            if (Integer.valueOf(1).equals(existing.get("statecode"))) {
                throw new DataverseFault(ErrorCode.DELETE_ACTIVE_WORKFLOW, "Cannot delete an active workflow definition.");
            }
            return;
        }
        if (activation) {
            throw new DataverseFault(ErrorCode.UPDATE_WORKFLOW_ACTIVATION, "Cannot update a workflow activation.");
        }
        boolean wasActive = Integer.valueOf(1).equals(existing.get("statecode"));
        Object newState = target.get("statecode");
        boolean deactivating = wasActive && Integer.valueOf(0).equals(newState);
        if (wasActive && !deactivating) {
            for (String a : target.attributes().keySet()) {
                if (LOCKED.contains(a) && !java.util.Objects.equals(target.get(a), existing.get(a))) {
                    throw new DataverseFault(ErrorCode.UPDATE_PUBLISHED_WORKFLOW, "Cannot update a published workflow definition.");
                }
            }
        }
        if (wasActive && deactivating) {
            for (String a : target.attributes().keySet()) {
                if (LOCKED.contains(a) && !java.util.Objects.equals(target.get(a), existing.get(a))) {
                    throw new DataverseFault(ErrorCode.UPDATE_PUBLISHED_WORKFLOW, "Cannot update a published workflow definition; deactivate it first.");
                }
            }
        }
        if (!wasActive && Integer.valueOf(1).equals(newState)) {
            Entity merged = existing.copy();
            target.attributes().forEach(merged::set);
            validate(merged);
        }
    }

    /** The checks a definition must pass to be activated. */
    void validate(Entity w) {
        WorkflowDefinition definition;
        try {
            definition = XamlParser.parse((String) w.get("xaml"));
        } catch (XamlException e) {
            throw new DataverseFault(ErrorCode.UNSUPPORTED_WORKFLOW_STEP, e.getMessage());
        }
        if (Integer.valueOf(3).equals(w.get("category")) && (w.get("uniquename") == null || w.get("uniquename").toString().isBlank())) {
            throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "Validation failed on the specified workflow: an action needs a uniquename, its message name.");
        }
        String entity = (String) w.get("primaryentity");
        boolean global = "none".equals(entity);
        EntityMetadata e = global ? null : catalog.entity(entity).orElseThrow(() ->
                new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "Invalid primary entity '" + entity + "'."));
        boolean realTime = Integer.valueOf(1).equals(w.get("mode"));
        if (realTime) {
            String obstacle = definition.realTimeObstacle();
            if (obstacle != null) {
                throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "Validation failed on the specified workflow: a real-time workflow cannot contain "
                        + obstacle + ". Waits, timeouts and delays are only allowed in background workflows.");
            }
            requireStage(w, "triggeroncreate", "createstage");
            requireStage(w, "triggerondelete", "deletestage");
            if (!updateAttributes(w).isEmpty() && w.get("updatestage") == null) {
                throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "Validation failed on the specified workflow: the update trigger of a real-time workflow needs updatestage (20 pre-operation or 40 post-operation).");
            }
        }
        if (e != null) {
            for (String a : updateAttributes(w)) {
                if (!e.hasAttribute(a)) {
                    throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "Validation failed on the specified workflow: '" + entity
                            + "' entity doesn't contain attribute with Name = '" + a + "'.");
                }
            }
        }
        for (Step s : definition.allSteps()) {
            if (s instanceof Step.CustomActivity c && customActivities.url(c.typeName()).isEmpty()) {
                throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "Invalid custom activity '" + c.typeName()
                        + "': register its call-out with POST /admin/custom-activities or custom-activities.json.");
            }
            if (s instanceof Step.StartChildWorkflow c) {
                try {
                    UUID.fromString(c.workflowId());
                } catch (IllegalArgumentException ex) {
                    throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "The child workflow step " + c.displayName() + " names no workflow.");
                }
            }
        }
    }

    private static void requireStage(Entity w, String trigger, String stage) {
        if (Boolean.TRUE.equals(w.get(trigger)) && w.get(stage) == null) {
            throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "Validation failed on the specified workflow: the " + trigger.substring(9)
                    + " trigger of a real-time workflow needs " + stage + " (20 pre-operation or 40 post-operation).");
        }
    }

    static List<String> updateAttributes(Entity w) {
        Object list = w.get("triggeronupdateattributelist");
        if (list == null || list.toString().isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** After a definition's update: activation makes the frozen copy; deactivation retires it. */
    private void activationChanges(Entity existing, Entity target) {
        actionCache = null;
        boolean wasActive = Integer.valueOf(1).equals(existing.get("statecode"));
        Object newState = target.get("statecode");
        if (!wasActive && Integer.valueOf(1).equals(newState)) {
            Entity definition = service.retrieve(WellKnownPrincipals.SYSTEM, "workflow", existing.id(), null, false);
            Entity copy = new Entity("workflow");
            for (String a : List.of("name", "category", "mode", "primaryentity", "triggeroncreate", "triggerondelete", "triggeronupdateattributelist",
                    "createstage", "updatestage", "deletestage", "rank", "runas", "scope", "ondemand", "subprocess", "syncworkflowlogonfailure",
                    "asyncautodelete", "xaml", "uniquename", "description", "ownerid", "inputparameters")) {
                copy.set(a, definition.get(a));
            }
            copy.set("type", TYPE_ACTIVATION).set("statecode", 1).set("statuscode", 2)
                    .set("parentworkflowid", new EntityReference("workflow", existing.id()));
            UUID activation = service.createTrusted(WellKnownPrincipals.SYSTEM, copy);
            service.updateTrusted(WellKnownPrincipals.SYSTEM, new Entity("workflow", existing.id())
                    .set("activeworkflowid", new EntityReference("workflow", activation)));
        } else if (wasActive && Integer.valueOf(0).equals(newState)) {
            for (Entity a : activations(Condition.of("parentworkflowid", ConditionOperator.EQUAL, existing.id()))) {
                service.updateTrusted(WellKnownPrincipals.SYSTEM, new Entity("workflow", a.id()).set("statecode", 0).set("statuscode", 1));
            }
            service.updateTrusted(WellKnownPrincipals.SYSTEM, new Entity("workflow", existing.id()).set("activeworkflowid", null));
        }
    }

    private List<Entity> activations(Condition... conditions) {
        QueryExpression q = new QueryExpression("workflow")
                .where(Condition.of("type", ConditionOperator.EQUAL, TYPE_ACTIVATION))
                .where(Condition.of("statecode", ConditionOperator.EQUAL, 1))
                .orderBy("rank", false).orderBy("createdon", false);
        for (Condition c : conditions) {
            q.where(c);
        }
        return service.retrieveMultiple(WellKnownPrincipals.SYSTEM, q, false).entities();
    }

    public WorkflowDefinition definition(Entity activation) {
        return parsed.computeIfAbsent(activation.id(), id -> XamlParser.parse((String) activation.get("xaml")));
    }

    // ------------------------------------------------------------------ custom actions (category 3)

    /** A custom action as the Web API exposes it: its name, the entity it is bound to (null: unbound), its arguments. */
    public record ActionSignature(String name, String boundEntity, List<WorkflowDefinition.Argument> inputs,
                                  List<WorkflowDefinition.Argument> outputs) {
    }

    private record ActionCache(long readAt, List<ActionSignature> actions) {
    }

    private volatile ActionCache actionCache;
    /** Another node's activation of an action is seen within this time. */
    private static final long ACTION_REFRESH_MS = 1000;

    /** The activated real-time actions; re-read from the database at most once a second. */
    public List<ActionSignature> actions() {
        ActionCache c = actionCache;
        long now = System.currentTimeMillis();
        if (c != null && now - c.readAt() < ACTION_REFRESH_MS) {
            return c.actions();
        }
        List<ActionSignature> out = new ArrayList<>();
        for (Entity a : activations(Condition.of("category", ConditionOperator.EQUAL, 3), Condition.of("mode", ConditionOperator.EQUAL, 1))) {
            String name = (String) a.get("uniquename");
            if (name == null || name.isBlank()) {
                continue;
            }
            WorkflowDefinition d;
            try {
                d = definition(a);
            } catch (XamlException e) {
                // activation validated this XAML, so a parse failure now is a fault of the emulator (its parser
                // changed, or the row was written around the service): said loudly, while $metadata stays usable
                LOG.error("The activated action {} ({}) no longer parses and is left out of $metadata", name, a.id(), e);
                continue;
            }
            String entity = (String) a.get("primaryentity");
            List<WorkflowDefinition.Argument> in = d.arguments().stream().filter(x -> !x.output() && !x.target()).toList();
            List<WorkflowDefinition.Argument> out2 = d.arguments().stream().filter(WorkflowDefinition.Argument::output).toList();
            out.add(new ActionSignature(name, entity == null || "none".equals(entity) ? null : entity, in, out2));
        }
        actionCache = new ActionCache(now, List.copyOf(out));
        return actionCache.actions();
    }

    /** Runs a custom action as the calling user, in the request's transaction; answers its output arguments. */
    public Map<String, Object> executeAction(CallerContext caller, String name, EntityReference target, Map<String, Object> inputs) {
        // one transaction for the whole action: a refusal after an update takes the update back with it
        return database.inTransaction(c -> runAction(caller, name, target, inputs));
    }

    private Map<String, Object> runAction(CallerContext caller, String name, EntityReference target, Map<String, Object> inputs) {
        Entity activation = activations(Condition.of("category", ConditionOperator.EQUAL, 3), Condition.of("uniquename", ConditionOperator.EQUAL, name))
                .stream().findFirst().orElseThrow(() -> new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found for the segment '" + name + "'."));
        Entity record = target == null ? null : service.retrieve(caller, target.logicalName(), target.id(), null, false);
        CallerContext runAs = caller.deeper();
        WorkflowRun run = new WorkflowRun(new ServiceHost(runAs, caller), record, null, false);
        run.arguments().putAll(inputs);
        if (target != null) {
            run.arguments().put("Target", target);
        }
        execute(activation, run, record, runAs);
        Map<String, Object> outputs = new java.util.LinkedHashMap<>();
        for (WorkflowDefinition.Argument a : definition(activation).arguments()) {
            if (a.output()) {
                outputs.put(a.name(), run.arguments().get(a.name()));
            }
        }
        return outputs;
    }

    // ------------------------------------------------------------------ real-time runs

    private void runRealTime(Message message, int stage, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        List<Entity> candidates = activations(
                Condition.of("primaryentity", ConditionOperator.EQUAL, entity.logicalName()),
                Condition.of("mode", ConditionOperator.EQUAL, 1),
                Condition.of("category", ConditionOperator.EQUAL, 0));
        for (Entity a : candidates) {
            if (!triggered(message, a, target) || stageOf(message, a) != stage) {
                continue;
            }
            Entity record = recordSeen(message, stage, entity, existing, target);
            if (!inScope(a, entity, record)) {
                continue;
            }
            CallerContext runAs = Integer.valueOf(0).equals(a.get("runas")) ? owner(a, caller) : caller;
            runAs = runAs.atDepth(caller.depth() + 1);
            boolean pre = stage == STAGE_PRE && message != Message.DELETE;
            WorkflowRun run = new WorkflowRun(new ServiceHost(runAs, caller), record, pre ? target : null, pre);
            execute(a, run, record, runAs);
        }
    }

    /** Runs a real-time (synchronous) workflow; any failure aborts the operation with a Business Process Error. */
    void execute(Entity activation, WorkflowRun run, Entity record, CallerContext runAs) {
        String failure;
        try {
            WorkflowInterpreter.execute(definition(activation), run);
            return;
        } catch (WorkflowStopped s) {
            failure = s.getMessage();
        } catch (WorkflowWaiting w) {
            failure = "A real-time workflow cannot wait.";
        } catch (DataverseFault | WorkflowFailure f) {
            // a step's own failure (an SDK call refused, a definition that does not fit the data); any other
            // exception is a fault of the emulator and goes on up as one (500 and a log line)
            failure = f.getMessage();
        }
        if (Boolean.TRUE.equals(activation.get("syncworkflowlogonfailure"))) {
            logFailure(activation, record, runAs, failure);
        }
        throw new DataverseFault(ErrorCode.ISV_ABORTED, failure);
    }

    /** A process session for a failed real-time run, committed on its own so it outlives the rolled-back request. */
    private void logFailure(Entity activation, Entity record, CallerContext runAs, String message) {
        EntityReference process = activation.get("parentworkflowid") instanceof EntityReference p ? p : new EntityReference("workflow", activation.id());
        java.time.Instant now = clock.get();
        Entity session = new Entity("processsession")
                .set("name", activation.get("name"))
                .set("processid", process)
                .set("statecode", 1).set("statuscode", 6)
                .set("errorcode", ErrorCode.ISV_ABORTED.signed())
                .set("comments", message == null ? null : message.length() > 2000 ? message.substring(0, 2000) : message)
                .set("startedon", now).set("completedon", now)
                .set("executedby", new EntityReference("systemuser", runAs.userId()))
                .set("ownerid", new EntityReference("systemuser", runAs.userId()));
        if (record != null && record.id() != null && catalog.lookupAccepts("processsession", "regardingobjectid", record.logicalName())) {
            session.set("regardingobjectid", new EntityReference(record.logicalName(), record.id()));
        }
        database.inNewTransaction(c -> service.createTrusted(runAs, session, false));
    }

    private Entity recordSeen(Message message, int stage, EntityMetadata entity, Entity existing, Entity target) {
        if (message == Message.DELETE) {
            return existing.copy();
        }
        if (stage == STAGE_PRE) {
            Entity merged = existing == null ? new Entity(entity.logicalName(), target.id()) : existing.copy();
            target.attributes().forEach(merged::set);
            return merged;
        }
        return service.retrieve(WellKnownPrincipals.SYSTEM, entity.logicalName(), target.id(), null, false);
    }

    private static boolean triggered(Message message, Entity a, Entity target) {
        return switch (message) {
            case CREATE -> Boolean.TRUE.equals(a.get("triggeroncreate"));
            case DELETE -> Boolean.TRUE.equals(a.get("triggerondelete"));
            case UPDATE -> updateAttributes(a).stream().anyMatch(target::contains);
        };
    }

    private static int stageOf(Message message, Entity a) {
        Object s = switch (message) {
            case CREATE -> a.get("createstage");
            case UPDATE -> a.get("updatestage");
            case DELETE -> a.get("deletestage");
        };
        return s instanceof Integer i ? i : STAGE_POST;
    }

    /** Whether the record is within the workflow's scope, relative to the workflow's owner. */
    private boolean inScope(Entity a, EntityMetadata entity, Entity record) {
        int scope = a.get("scope") instanceof Integer i ? i : 1;
        if (scope == 4 || !entity.hasAttribute("ownerid")) {
            return true;
        }
        EntityReference owner = (EntityReference) a.get("ownerid");
        EntityReference recordOwner = record.get("ownerid") instanceof EntityReference r ? r : null;
        if (scope == 1) {
            return recordOwner != null && owner != null && recordOwner.id().equals(owner.id());
        }
        Entity ownerRow = service.retrieve(WellKnownPrincipals.SYSTEM, "systemuser", owner.id(), List.of("businessunitid"), false);
        UUID ownerBu = ((EntityReference) ownerRow.get("businessunitid")).id();
        Object bu = record.get("owningbusinessunit");
        UUID recordBu = bu instanceof EntityReference r ? r.id() : null;
        if (recordBu == null) {
            return false;
        }
        if (scope == 2) {
            return recordBu.equals(ownerBu);
        }
        return service.securityPrincipalFor(owner.id()).inOwnSubtree(recordBu);
    }

    private CallerContext owner(Entity a, CallerContext caller) {
        EntityReference owner = (EntityReference) a.get("ownerid");
        if (owner == null || !owner.logicalName().equals("systemuser")) {
            return caller;
        }
        Entity user = service.retrieve(WellKnownPrincipals.SYSTEM, "systemuser", owner.id(), List.of("businessunitid"), false);
        return new CallerContext(owner.id(), ((EntityReference) user.get("businessunitid")).id());
    }

    // ------------------------------------------------------------------ background runs

    private void queueBackground(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        List<Entity> candidates = activations(
                Condition.of("primaryentity", ConditionOperator.EQUAL, entity.logicalName()),
                Condition.of("mode", ConditionOperator.EQUAL, 0),
                Condition.of("category", ConditionOperator.EQUAL, 0));
        for (Entity a : candidates) {
            if (!triggered(message, a, target)) {
                continue;
            }
            Entity record = message == Message.DELETE ? existing : service.retrieve(WellKnownPrincipals.SYSTEM, entity.logicalName(), target.id(), null, false);
            if (!inScope(a, entity, record)) {
                continue;
            }
            queueJob(a, new EntityReference(entity.logicalName(), record.id()), messageName(message), caller.depth(),
                    (EntityReference) a.get("ownerid"));
        }
    }

    private static String messageName(Message m) {
        return switch (m) {
            case CREATE -> "Create";
            case UPDATE -> "Update";
            case DELETE -> "Delete";
        };
    }

    /** Queues a run of a background workflow as a system job, in the current transaction. */
    public UUID queueJob(Entity activation, EntityReference regarding, String messageName, int depth, EntityReference owner) {
        return queueJob(WellKnownPrincipals.SYSTEM, activation, regarding, messageName, depth, owner);
    }

    /** As above, with the job's creator (the caller of ExecuteWorkflow). */
    public UUID queueJob(CallerContext creator, Entity activation, EntityReference regarding, String messageName, int depth, EntityReference owner) {
        Entity job = new Entity("asyncoperation")
                .set("name", activation.get("name"))
                .set("operationtype", WorkflowExecution.OPERATION_WORKFLOW)
                .set("statecode", 0).set("statuscode", 0)
                .set("messagename", messageName)
                .set("primaryentitytype", regarding.logicalName())
                .set("workflowactivationid", new EntityReference("workflow", activation.id()))
                .set("depth", depth)
                .set("ownerid", owner);
        if (catalog.lookupAccepts("asyncoperation", "regardingobjectid", regarding.logicalName())) {
            job.set("regardingobjectid", regarding);
        }
        return service.createTrusted(creator, job, false);
    }

    /** The organization as a background run sees it: every call as {@code runAs}. */
    dev.dve.engine.workflow.runtime.WorkflowHost host(CallerContext runAs, CallerContext initiator) {
        return new ServiceHost(runAs, initiator);
    }

    // ------------------------------------------------------------------ what steps may do

    /** The organization as a running workflow sees it: every call as the run-as user, one level deeper. */
    private final class ServiceHost implements dev.dve.engine.workflow.runtime.WorkflowHost {
        private final CallerContext runAs;
        private final CallerContext initiator;

        ServiceHost(CallerContext runAs, CallerContext initiator) {
            this.runAs = runAs;
            this.initiator = initiator;
        }

        @Override
        public java.time.Instant now() {
            return clock.get();
        }

        @Override
        public java.util.Optional<Entity> retrieve(String entity, UUID id) {
            return service.find(runAs, entity, id);
        }

        @Override
        public UUID create(Entity entity) {
            return service.create(runAs, entity);
        }

        @Override
        public void update(Entity entity) {
            service.update(runAs, entity, null);
        }

        @Override
        public UUID sendEmail(Entity email, Map<String, List<EntityReference>> parties) {
            dev.dve.payload.Payload p = new dev.dve.payload.Payload(email);
            Map<String, Integer> masks = Map.of("from", 1, "to", 2, "cc", 3, "bcc", 4, "requiredattendees", 5, "optionalattendees", 6);
            parties.forEach((kind, refs) -> refs.forEach(r -> p.after().add(new dev.dve.payload.Payload.RelatedInsert("activityid",
                    new dev.dve.payload.Payload(new Entity("activityparty").set("partyid", r).set("participationtypemask", masks.getOrDefault(kind, 2)))))));
            if (!email.contains("directioncode")) {
                email.set("directioncode", true);
            }
            UUID id = service.create(runAs, p);
            service.update(runAs, new Entity("email", id).set("statecode", 1).set("statuscode", 3), null);
            return id;
        }

        @Override
        public void startChildWorkflow(UUID workflowId, EntityReference target) {
            Entity definition = service.find(WellKnownPrincipals.SYSTEM, "workflow", workflowId)
                    .orElseThrow(() -> new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "This workflow cannot run because one or more child workflows it uses have not been published or have been deleted."));
            EntityReference active = definition.get("activeworkflowid") instanceof EntityReference r ? r : null;
            if (active == null) {
                throw new DataverseFault(ErrorCode.WORKFLOW_VALIDATION, "This workflow cannot run because one or more child workflows it uses have not been published or have been deleted.");
            }
            Entity activation = service.retrieve(WellKnownPrincipals.SYSTEM, "workflow", active.id(), null, false);
            if (Integer.valueOf(1).equals(activation.get("mode"))) {
                Entity record = service.retrieve(WellKnownPrincipals.SYSTEM, target.logicalName(), target.id(), null, false);
                CallerContext childRunAs = runAs.deeper();
                execute(activation, new WorkflowRun(new ServiceHost(childRunAs, initiator), record, null, false), record, childRunAs);
            } else {
                // a background child runs as the parent run's user, like an on-demand run started by that user
                queueJob(runAs, activation, target, "ExecuteWorkflow", runAs.depth(), (EntityReference) activation.get("ownerid"));
            }
        }

        @Override
        public Map<String, Object> customActivity(String typeName, Map<String, Object> inputs) {
            Map<String, Object> context = new java.util.LinkedHashMap<>();
            context.put("userId", runAs.userId().toString());
            context.put("initiatingUserId", initiator.userId().toString());
            context.put("depth", runAs.depth());
            context.put("organizationId", String.valueOf(service.organizationId()));
            return customActivities.invoke(typeName, inputs, context);
        }

        @Override
        public java.util.Optional<dev.dve.metadata.AttributeMetadata> attribute(String entity, String attribute) {
            return catalog.entity(entity).flatMap(e -> e.attribute(attribute));
        }

        @Override
        public java.util.Optional<String> primaryIdAttribute(String entity) {
            return catalog.entity(entity).map(EntityMetadata::primaryIdAttribute);
        }

        @Override
        public String primaryName(EntityReference reference) {
            EntityMetadata e = catalog.require(reference.logicalName());
            if (e.primaryNameAttribute() == null) {
                return null;
            }
            return service.find(WellKnownPrincipals.SYSTEM, reference.logicalName(), reference.id())
                    .map(r -> (String) r.get(e.primaryNameAttribute())).orElse(null);
        }
    }

}
