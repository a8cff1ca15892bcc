package dev.dve.engine.webhook;

import dev.dve.auth.CallerContext;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.organization.EventPipeline;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.FilterExpression;
import dev.dve.query.LinkEntity;
import dev.dve.query.LogicalOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Webhook steps in the event pipeline. After a create, update or delete it finds the enabled asynchronous
 * post-operation steps ({@code sdkmessageprocessingstep}: {@code mode} 1, {@code stage} 40) registered for the
 * message and the entity whose event handler is a webhook ({@code serviceendpoint.contract} 8), and queues one system
 * job ({@code operationtype} 1) per step with the {@code RemoteExecutionContext} to send. The job is written in the
 * operation's transaction, so a rolled-back request queues nothing, and it carries the context as it was at the event:
 * the record may change before the job runs.
 */
public final class WebhookTrigger implements EventPipeline {
    /** {@code asyncoperation.operationtype} of the jobs a step queues ("System Event"). */
    public static final int OPERATION_SYSTEM_EVENT = 1;
    static final int STAGE_POST_OPERATION = 40;
    private static final int MODE_ASYNCHRONOUS = 1;
    private static final int CONTRACT_WEBHOOK = 8;
    private static final int STEP_ENABLED = 0;
    private final OrganizationService service;
    private final MetadataCatalog catalog;
    private final Supplier<Instant> clock;

    public WebhookTrigger(OrganizationService service, MetadataCatalog catalog, Supplier<Instant> clock) {
        this.service = service;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Synchronous steps (which would call out inside the transaction) are not emulated: nothing runs before the operation. */
    @Override
    public void preOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
    }

    @Override
    public void postOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        String messageName = messageName(message);
        List<Entity> steps = registeredSteps(messageName, entity.logicalName());
        if (steps.isEmpty()) {
            return;
        }
        RemoteExecutionContext.Event event = null;
        for (Entity step : steps) {
            if (message == Message.UPDATE && !touchesFilteringAttributes(step, target)) {
                continue;
            }
            if (event == null) {
                event = event(message, messageName, caller, entity, existing, target);
            }
            queue(step, event);
        }
    }

    /**
     * The steps of a message on an entity: enabled, asynchronous, post-operation, handled by a webhook, filtered for the
     * entity or for none (a step without a filter hears the message on every entity). One statement, by rank.
     */
    private List<Entity> registeredSteps(String messageName, String entity) {
        QueryExpression q = new QueryExpression("sdkmessageprocessingstep")
                .columns(List.of("name", "filteringattributes", "impersonatinguserid"))
                .where(Condition.of("stage", ConditionOperator.EQUAL, STAGE_POST_OPERATION))
                .where(Condition.of("mode", ConditionOperator.EQUAL, MODE_ASYNCHRONOUS))
                .where(Condition.of("statecode", ConditionOperator.EQUAL, STEP_ENABLED))
                .where(new FilterExpression(LogicalOperator.OR, List.of(
                        Condition.of("sdkmessagefilterid", ConditionOperator.NULL),
                        Condition.of("messagefilter.primaryobjecttypecode", ConditionOperator.EQUAL, entity))))
                .link(new LinkEntity("sdkmessage", "sdkmessageid", "sdkmessageid", "message", false, List.of(),
                        FilterExpression.and(Condition.of("name", ConditionOperator.EQUAL, messageName)), List.of()))
                .link(new LinkEntity("sdkmessagefilter", "sdkmessagefilterid", "sdkmessagefilterid", "messagefilter", true, List.of(),
                        FilterExpression.and(), List.of()))
                .link(new LinkEntity("serviceendpoint", "serviceendpointid", "eventhandler", "endpoint", false, List.of(),
                        FilterExpression.and(Condition.of("contract", ConditionOperator.EQUAL, CONTRACT_WEBHOOK)), List.of()))
                .orderBy("rank", false)
                .orderBy("createdon", false);
        return service.retrieveMultiple(WellKnownPrincipals.SYSTEM, q, false).entities();
    }

    /**
     * An update triggers a step with filtering attributes only when the update sets one of them. As in Dataverse, an
     * attribute counts when the update carries it (values set by pre-operation steps and the platform's own included),
     * even if the value did not change.
     */
    private static boolean touchesFilteringAttributes(Entity step, Entity changes) {
        Set<String> filter = filteringAttributes(step);
        return filter.isEmpty() || filter.stream().anyMatch(changes::contains);
    }

    static Set<String> filteringAttributes(Entity step) {
        Object list = step.get("filteringattributes");
        if (list == null || list.toString().isBlank()) {
            return Set.of();
        }
        return Arrays.stream(list.toString().split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /** What every step's context shares: the event as it happened, read once inside the operation's transaction. */
    private RemoteExecutionContext.Event event(Message message, String messageName, CallerContext caller, EntityMetadata entity,
                                               Entity existing, Entity target) {
        UUID recordId = message == Message.DELETE ? existing.id() : target.id();
        String primaryName = null;
        if (message != Message.DELETE && entity.primaryNameAttribute() != null) {
            // the row as written (formulas and pre-operation changes included), for the AsynchronousStepPrimaryName image
            primaryName = (String) service.retrieve(WellKnownPrincipals.SYSTEM, entity.logicalName(), recordId,
                    List.of(entity.primaryNameAttribute()), false).get(entity.primaryNameAttribute());
        }
        UUID organizationId = service.organizationId();
        String organizationName = organizationId == null ? null : (String) service.retrieve(WellKnownPrincipals.SYSTEM, "organization",
                organizationId, List.of("name"), false).get("name");
        return new RemoteExecutionContext.Event(messageName, entity, recordId, message == Message.DELETE ? null : target, primaryName,
                caller, clock.get(), organizationId, organizationName);
    }

    /** Queues the step's system job in the current transaction, with the context it will send. */
    private void queue(Entity step, RemoteExecutionContext.Event event) {
        UUID jobId = UUID.randomUUID();
        UUID correlationId = UUID.randomUUID();
        EntityReference impersonating = step.get("impersonatinguserid") instanceof EntityReference r ? r : null;
        UUID userId = impersonating != null ? impersonating.id() : event.caller().userId();
        String context = RemoteExecutionContext.json(event, step, jobId, correlationId, userId);
        Entity job = new Entity("asyncoperation", jobId)
                .set("name", step.get("name"))
                .set("operationtype", OPERATION_SYSTEM_EVENT)
                .set("statecode", 0).set("statuscode", 0)
                .set("messagename", event.messageName())
                .set("primaryentitytype", event.entity().logicalName())
                .set("owningextensionid", new EntityReference("sdkmessageprocessingstep", step.id()))
                .set("correlationid", correlationId)
                .set("depth", event.caller().depth())
                .set("data", context)
                .set("ownerid", new EntityReference("systemuser", userId));
        if (catalog.lookupAccepts("asyncoperation", "regardingobjectid", event.entity().logicalName())) {
            // a deleted record is still named: the job says what the event was about (a table without a documented
            // relationship to system jobs is named by primaryentitytype only)
            job.set("regardingobjectid", new EntityReference(event.entity().logicalName(), event.recordId()));
        }
        // no lookup checks: the regarding record of a delete is gone
        service.createTrusted(event.caller(), job, false);
    }

    static String messageName(Message m) {
        return switch (m) {
            case CREATE -> "Create";
            case UPDATE -> "Update";
            case DELETE -> "Delete";
        };
    }
}
