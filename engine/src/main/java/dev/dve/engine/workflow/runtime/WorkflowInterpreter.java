package dev.dve.engine.workflow.runtime;

import dev.dve.engine.workflow.xaml.Expr;
import dev.dve.engine.workflow.xaml.Step;
import dev.dve.engine.workflow.xaml.WorkflowDefinition;
import dev.dve.engine.workflow.xaml.XamlException;
import dev.dve.engine.workflow.xaml.XrmTimeSpan;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs a parsed workflow: steps in order, variables in nested scopes, the designer's VB expressions evaluated
 * by a small evaluator, data steps through the {@link WorkflowHost}. A Stop step ends the run with
 * {@link WorkflowStopped}; a wait or timeout with {@link WorkflowWaiting}.
 * <p>
 * A run can stop and continue elsewhere: each effectful step completes through {@link WorkflowHost#completeStep}
 * with a {@link RunCheckpoint} of the state right after it, and a wait carries the state at the waiting step. A run
 * resumed from a checkpoint descends along the checkpoint's {@link StepPath} straight to that step, taking at each
 * If and ConditionBranch the way the path records (the record may have changed since; a condition already passed
 * is not asked again) and giving each enclosing scope its saved variables, then continues as usual.
 */
public final class WorkflowInterpreter {
    private static final List<String> PARTY_ATTRIBUTES = List.of("to", "from", "cc", "bcc", "requiredattendees", "optionalattendees");
    private final WorkflowRun run;
    private final Deque<Scope> scopes = new ArrayDeque<>();
    /** While resuming: the checkpoint, until the descent reaches its step. */
    private RunCheckpoint resume;
    /** A wait being resumed, handed by the descent to that wait step. */
    private RunCheckpoint reentered;
    /** While a wait step evaluates its branches: the wake-up times its timeouts' Postpones ask for; else null. */
    private List<Instant> timeouts;
    /** What RetrieveLastExecutionTime answers; a timeout counts from it. */
    private Instant lastExecutionTime;

    /** The variables of a Block or ConditionSequence, by the path of the step that opened it (null: the process's arguments). */
    private record Scope(StepPath owner, Map<String, Object> variables) {
    }

    private WorkflowInterpreter(WorkflowRun run) {
        this.run = run;
        this.lastExecutionTime = run.startedOn;
    }

    /**
     * Runs the workflow, or continues it from the run's checkpoint; returns normally when it completes or stops
     * with Succeeded.
     */
    public static void execute(WorkflowDefinition definition, WorkflowRun run) {
        WorkflowInterpreter i = new WorkflowInterpreter(run);
        RunCheckpoint from = run.checkpoint;
        Map<String, Object> arguments;
        if (from == null) {
            // the process's arguments are the outermost scope; outputs are read back from it
            arguments = new LinkedHashMap<>();
            for (WorkflowDefinition.Argument a : definition.arguments()) {
                arguments.put(a.name(), run.arguments.get(a.name()));
            }
        } else {
            run.arguments.putAll(from.arguments());
            run.createdEntities.putAll(from.createdEntities());
            arguments = from.scope(null);
            i.resume = from;
        }
        i.scopes.push(new Scope(null, arguments));
        try {
            i.exec(definition.body(), StepPath.BODY);
            if (i.resume != null) {
                throw new IllegalStateException("The checkpoint's step " + from.at() + " is not in this workflow definition");
            }
        } catch (WorkflowStopped s) {
            if (s.canceled()) {
                throw s;
            }
        } finally {
            run.arguments.putAll(arguments);
        }
    }

    private void exec(Step s, StepPath at) {
        if (s == null) {
            return;
        }
        if (resume != null && resume.at().equals(at)) {
            RunCheckpoint reached = resume;
            resume = null;
            if (reached.done()) {
                return; // completed before the checkpoint, its writes committed with it
            }
            if (!(s instanceof Step.Postpone || s instanceof Step.ConditionSequence c && c.waits())) {
                throw new IllegalStateException("The checkpoint waits at step " + at + ", which is not a wait");
            }
            reentered = reached;
        }
        if (s instanceof Step.Block b) {
            block(b, at);
        } else if (s instanceof Step.Assign a) {
            assign(a.to(), eval(a.value()));
        } else if (s instanceof Step.GetEntityProperty g) {
            assign(g.value(), getProperty(g));
        } else if (s instanceof Step.SetEntityProperty p) {
            setProperty(p);
        } else if (s instanceof Step.UpdateEntity u) {
            Entity e = entity(u.entity(), u.displayName());
            complete(u.displayName(), "UpdateEntity", at, () -> update(e));
        } else if (s instanceof Step.CreateEntity c) {
            Entity e = entity(c.entity(), c.displayName());
            complete(c.displayName(), "CreateEntity", at, () -> create(e));
        } else if (s instanceof Step.SendEmail m) {
            Entity e = entity(m.entity(), m.displayName());
            complete(m.displayName(), "SendEmail", at, () -> sendEmail(e));
        } else if (s instanceof Step.RetrieveEntity r) {
            Object id = eval(r.entityId());
            Entity loaded = id == null ? null : run.host.retrieve(r.entityName(), toUuid(id)).orElse(null);
            assign(r.entity(), loaded);
        } else if (s instanceof Step.AssignEntity a) {
            Entity e = entity(a.entity(), a.displayName());
            Object owner = eval(a.owner());
            Entity change = new Entity(e.logicalName() != null ? e.logicalName() : a.entityName(), e.id());
            change.set("ownerid", owner);
            complete(a.displayName(), "AssignEntity", at, () -> update(change));
        } else if (s instanceof Step.SetState st) {
            Entity e = entity(st.entity(), st.displayName());
            Entity change = new Entity(e.logicalName() != null ? e.logicalName() : st.entityName(), e.id());
            change.set("statecode", st.state()).set("statuscode", st.status());
            complete(st.displayName(), "SetState", at, () -> update(change));
        } else if (s instanceof Step.StartChildWorkflow c) {
            Object id = eval(c.entityId());
            EntityReference target = new EntityReference(c.entityName(), toUuid(id));
            complete(c.displayName(), "StartChildWorkflow", at, () -> run.host.startChildWorkflow(UUID.fromString(c.workflowId()), target));
        } else if (s instanceof Step.Terminate t) {
            Object reason = eval(t.reason());
            throw new WorkflowStopped(t.canceled(), reason == null ? "" : CrmValues.text(reason));
        } else if (s instanceof Step.Postpone p) {
            postpone(p, at);
        } else if (s instanceof Step.Persist) {
            return;
        } else if (s instanceof Step.If i) {
            boolean then = holds(at, i.condition());
            exec(then ? i.then() : i.otherwise(), at.child(then ? 0 : 1));
        } else if (s instanceof Step.ConditionSequence c) {
            conditionSequence(c, at);
        } else if (s instanceof Step.ConditionBranch b) {
            branch(b, at);
        } else if (s instanceof Step.EvaluateCondition c) {
            assign(c.result(), condition(c));
        } else if (s instanceof Step.EvaluateLogicalCondition l) {
            boolean left = CrmValues.truthy(eval(l.left()));
            boolean right = CrmValues.truthy(eval(l.right()));
            assign(l.result(), "Or".equalsIgnoreCase(l.operator()) ? left || right : left && right);
        } else if (s instanceof Step.EvaluateExpression e) {
            assign(e.result(), expression(e));
        } else if (s instanceof Step.ConvertTypes c) {
            assign(c.result(), eval(c.value()));
        } else if (s instanceof Step.CustomActivity c) {
            customActivity(c, at);
        } else {
            throw new XamlException("Unsupported step " + s);
        }
    }

    private void block(Step.Block b, StepPath at) {
        int from = resumeIndex(at, b.children().size());
        Map<String, Object> variables = from < 0 ? new LinkedHashMap<>() : resume.scope(at);
        scopes.push(new Scope(at, variables));
        try {
            if (from < 0) {
                initialise(b.variables(), variables);
            }
            for (int i = Math.max(from, 0); i < b.children().size(); i++) {
                exec(b.children().get(i), at.child(i));
            }
        } finally {
            scopes.pop();
        }
    }

    /** Gives a new scope's variables their defaults, in order (a default may read the ones before it). */
    private void initialise(List<Step.Variable> declared, Map<String, Object> variables) {
        for (Step.Variable v : declared) {
            variables.put(v.name(), eval(v.defaultValue()));
        }
    }

    private void conditionSequence(Step.ConditionSequence c, StepPath at) {
        RunCheckpoint wait = reenteredAt(at);
        int from = resumeIndex(at, c.activities().size());
        Map<String, Object> variables = from < 0 ? new LinkedHashMap<>() : resume.scope(at);
        scopes.push(new Scope(at, variables));
        List<Instant> outerTimeouts = timeouts;
        Instant outerLastExecution = lastExecutionTime;
        if (c.waits()) {
            timeouts = new ArrayList<>();
            if (wait != null && wait.waitingSince() != null) {
                lastExecutionTime = wait.waitingSince(); // a timeout counts from when the wait began, not from this wake-up
            }
        }
        try {
            if (from < 0) {
                initialise(c.variables(), variables);
            }
            for (int i = Math.max(from, 0); i < c.activities().size(); i++) {
                Step a = c.activities().get(i);
                if (a instanceof Step.ConditionBranch b) {
                    if (branch(b, at.child(i))) {
                        return;
                    }
                } else {
                    exec(a, at.child(i));
                }
            }
            if (c.waits()) {
                Instant until = wakeUp(timeouts, wait);
                throw new WorkflowWaiting(until, checkpoint(at, false, until, lastExecutionTime).toJson(), StepInfo.of(c.displayName(), "Wait", at));
            }
        } finally {
            scopes.pop();
            timeouts = outerTimeouts;
            lastExecutionTime = outerLastExecution;
        }
    }

    /**
     * When a wait with no branch holding wakes up by itself: at its earliest timeout, or never (a change of the
     * record or a manual resume wakes it). Woken early and waiting again, it keeps the time it saved while that is
     * still ahead: a timeout's Postpone counts from "now" ({@code _2.Add(DateTime.UtcNow)}), so asking it again
     * would push the deadline back at every wake-up.
     */
    private Instant wakeUp(List<Instant> timeouts, RunCheckpoint wait) {
        Instant until = timeouts.stream().min(Instant::compareTo).orElse(WorkflowWaiting.FOREVER);
        if (wait != null && wait.until() != null && wait.until().isAfter(run.host.now()) && wait.until().isBefore(until)) {
            return wait.until();
        }
        return until;
    }

    /**
     * A delay or a timeout's wake-up. Inside a wait step's branches it only tells the wait when to wake (the wait
     * decides, after all its branches). On its own it waits; resumed, it keeps the time it chose when first reached,
     * and continues once that time has come.
     */
    private void postpone(Step.Postpone p, StepPath at) {
        StepInfo step = StepInfo.of(null, "Postpone", at);
        RunCheckpoint wait = reenteredAt(at);
        if (wait != null) {
            if (wait.until() == null) {
                throw new IllegalStateException("The checkpoint of the Postpone at " + at + " has no time");
            }
            if (!wait.until().isAfter(run.host.now())) {
                return;
            }
            throw new WorkflowWaiting(wait.until(), checkpoint(at, false, wait.until(), wait.waitingSince()).toJson(), step);
        }
        Object value = eval(p.until());
        Instant until = value instanceof Instant i ? i : WorkflowWaiting.FOREVER;
        if (timeouts != null) {
            timeouts.add(until);
            return;
        }
        throw new WorkflowWaiting(until, checkpoint(at, false, until, lastExecutionTime).toJson(), step);
    }

    /** Runs the branch's Then when its condition holds, else its Else; answers whether the condition held. */
    private boolean branch(Step.ConditionBranch b, StepPath at) {
        if (!holds(at, b.condition())) {
            exec(b.otherwise(), at.child(1));
            return false;
        }
        // the steps after a wait are ordinary steps again: their own Postpones wait, their timeouts count from this run
        List<Instant> outerTimeouts = timeouts;
        Instant outerLastExecution = lastExecutionTime;
        timeouts = null;
        lastExecutionTime = run.startedOn;
        try {
            exec(b.then(), at.child(0));
        } finally {
            timeouts = outerTimeouts;
            lastExecutionTime = outerLastExecution;
        }
        return true;
    }

    // ----- resuming and checkpoints

    /**
     * Whether the condition of the If or ConditionBranch at {@code at} holds; while resuming, the way the
     * checkpoint's path went (Then is child 0), without asking the condition again.
     */
    private boolean holds(StepPath at, Expr condition) {
        int way = resumeIndex(at, 2);
        return way < 0 ? CrmValues.truthy(eval(condition)) : way == 0;
    }

    /** While resuming: which of the {@code children} of the step at {@code at} leads to the checkpoint's step; else -1. */
    private int resumeIndex(StepPath at, int children) {
        if (resume == null) {
            return -1;
        }
        if (!at.encloses(resume.at()) || resume.at().index(at.depth()) >= children) {
            throw new IllegalStateException("The checkpoint's step " + resume.at() + " is not in this workflow definition");
        }
        return resume.at().index(at.depth());
    }

    /** The checkpoint of the wait at {@code at} when the descent has just re-entered it, else null. */
    private RunCheckpoint reenteredAt(StepPath at) {
        if (reentered == null || !reentered.at().equals(at)) {
            return null;
        }
        RunCheckpoint r = reentered;
        reentered = null;
        return r;
    }

    /** Completes an effectful step through the host, with the checkpoint right after it. */
    private void complete(String displayName, String kind, StepPath at, Runnable effect) {
        run.host.completeStep(StepInfo.of(displayName, kind, at), effect, () -> checkpoint(at, true, null, null).toJson());
    }

    private RunCheckpoint checkpoint(StepPath at, boolean done, Instant until, Instant waitingSince) {
        List<RunCheckpoint.SavedScope> saved = new ArrayList<>();
        for (Iterator<Scope> it = scopes.descendingIterator(); it.hasNext(); ) {
            Scope s = it.next();
            // a wait is re-entered, so the scope it opened starts afresh: only the enclosing ones are kept
            if (s.owner() == null || s.owner().encloses(at)) {
                saved.add(new RunCheckpoint.SavedScope(s.owner(), s.variables()));
            }
        }
        return new RunCheckpoint(at, done, until, waitingSince, saved, run.arguments, run.createdEntities);
    }

    // ----- data steps

    private Entity entity(Expr e, String step) {
        Object v = eval(e);
        if (!(v instanceof Entity entity)) {
            throw new WorkflowFailure(step + ": no record to work on");
        }
        return entity;
    }

    private Object getProperty(Step.GetEntityProperty g) {
        Object source = eval(g.entity());
        if (!(source instanceof Entity e)) {
            return null;
        }
        Object v = e.get(g.attribute());
        if (v == null && e.id() != null && run.host.primaryIdAttribute(e.logicalName() != null ? e.logicalName() : g.entityName())
                .filter(g.attribute()::equals).isPresent()) {
            v = e.id();
        }
        String type = g.targetType();
        if (v == null || type == null) {
            return v;
        }
        if (type.endsWith("EntityReference") && v instanceof UUID id) {
            return new EntityReference(e.logicalName() != null ? e.logicalName() : g.entityName(), id);
        }
        if (type.endsWith("EntityCollection")) {
            return v instanceof List<?> ? v : v instanceof EntityReference r ? new ArrayList<>(List.of(r)) : v;
        }
        if (type.equals("x:String")) {
            if (v instanceof EntityReference r) {
                return r.name() != null ? r.name() : run.host.primaryName(r);
            }
            Optional<AttributeMetadata> a = run.host.attribute(g.entityName(), g.attribute());
            if (a.isPresent() && a.get().optionSet() != null && v instanceof Integer i) {
                return a.get().optionSet().option(i).map(o -> o.label()).orElse(v.toString());
            }
            return CrmValues.text(v);
        }
        return v;
    }

    private void setProperty(Step.SetEntityProperty p) {
        Object target = eval(p.entity());
        if (!(target instanceof Entity e)) {
            throw new WorkflowFailure("SetEntityProperty: no record to set '" + p.attribute() + "' on");
        }
        Object v = eval(p.value());
        if (PARTY_ATTRIBUTES.contains(p.attribute())) {
            e.set(p.attribute(), parties(v));
            return;
        }
        String entityName = e.logicalName() != null ? e.logicalName() : p.entityName();
        Optional<AttributeMetadata> a = run.host.attribute(entityName, p.attribute());
        if (a.isEmpty()) {
            throw new WorkflowFailure("'" + entityName + "' entity doesn't contain attribute with Name = '" + p.attribute() + "'.");
        }
        e.set(p.attribute(), CrmValues.forAttribute(a.get(), v));
    }

    private static List<EntityReference> parties(Object v) {
        List<EntityReference> out = new ArrayList<>();
        if (v instanceof EntityReference r) {
            out.add(r);
        } else if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof EntityReference r) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private void update(Entity e) {
        Entity change = withoutParties(e);
        if (run.preOperation && run.target != null && (change.id() == null || change.id().equals(run.primaryId()))
                && (change.logicalName() == null || change.logicalName().equals(run.target.logicalName()))) {
            change.attributes().forEach(run.target::set);
            Entity primary = run.inputEntities.get("primaryEntity");
            if (primary != null) {
                change.attributes().forEach(primary::set);
            }
            return;
        }
        if (change.id() == null) {
            throw new dev.dve.fault.DataverseFault(dev.dve.fault.ErrorCode.INVALID_ARGUMENT, "Entity Id must be specified for Update");
        }
        run.host.update(change);
    }

    private void create(Entity e) {
        UUID id = run.host.create(withoutParties(e));
        e.setId(id);
    }

    private void sendEmail(Entity e) {
        Map<String, List<EntityReference>> parties = new LinkedHashMap<>();
        for (String p : PARTY_ATTRIBUTES) {
            if (e.get(p) instanceof List<?> l) {
                parties.put(p, parties(l));
            }
        }
        UUID id = run.host.sendEmail(withoutParties(e), parties);
        e.setId(id);
    }

    private static Entity withoutParties(Entity e) {
        Entity copy = new Entity(e.logicalName(), e.id());
        e.attributes().forEach((k, v) -> {
            if (!PARTY_ATTRIBUTES.contains(k)) {
                copy.set(k, v);
            }
        });
        return copy;
    }

    /**
     * The call-out runs before, and outside, {@link WorkflowHost#completeStep}, so a background host holds no
     * transaction open during HTTP; only the assignment of its outputs completes with the checkpoint. A crash
     * between the call-out and that commit repeats the call-out on resume: call-outs are at least once, as in
     * Dataverse.
     */
    private void customActivity(Step.CustomActivity c, StepPath at) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        c.inputs().forEach((k, v) -> inputs.put(k, eval(v)));
        Map<String, Object> outputs = run.host.customActivity(c.typeName(), inputs);
        complete(c.displayName(), "CustomActivity", at, () -> c.outputs().forEach((k, target) -> assign(target, outputs.get(k))));
    }

    // ----- conditions and expressions

    private boolean condition(Step.EvaluateCondition c) {
        Object left = eval(c.operand());
        Object p = eval(c.parameters());
        List<Object> params = p instanceof Object[] arr ? Arrays.asList(arr) : p == null ? List.of() : List.of(p);
        Object first = params.isEmpty() ? null : params.get(0);
        String op = c.operator() == null ? "" : c.operator();
        return switch (op) {
            case "Equal" -> CrmValues.equal(left, first);
            case "NotEqual" -> !CrmValues.equal(left, first);
            case "GreaterThan" -> left != null && first != null && CrmValues.compare(left, first) > 0;
            case "GreaterEqual" -> left != null && first != null && CrmValues.compare(left, first) >= 0;
            case "LessThan" -> left != null && first != null && CrmValues.compare(left, first) < 0;
            case "LessEqual" -> left != null && first != null && CrmValues.compare(left, first) <= 0;
            case "Null" -> left == null || left instanceof String s && s.isEmpty();
            case "NotNull" -> !(left == null || left instanceof String s && s.isEmpty());
            case "Contains" -> left != null && lower(left).contains(lower(first));
            case "DoesNotContain" -> left == null || !lower(left).contains(lower(first));
            case "BeginsWith" -> left != null && lower(left).startsWith(lower(first));
            case "DoesNotBeginWith" -> left == null || !lower(left).startsWith(lower(first));
            case "EndsWith" -> left != null && lower(left).endsWith(lower(first));
            case "DoesNotEndWith" -> left == null || !lower(left).endsWith(lower(first));
            case "In" -> params.stream().anyMatch(x -> CrmValues.equal(left, x));
            case "NotIn" -> params.stream().noneMatch(x -> CrmValues.equal(left, x));
            case "Between" -> left != null && params.size() == 2 && CrmValues.compare(left, params.get(0)) >= 0 && CrmValues.compare(left, params.get(1)) <= 0;
            case "NotBetween" -> left == null || params.size() == 2 && (CrmValues.compare(left, params.get(0)) < 0 || CrmValues.compare(left, params.get(1)) > 0);
            default -> throw new XamlException("Condition operator not supported for specified type: " + op);
        };
    }

    private static String lower(Object v) {
        return CrmValues.text(v).toLowerCase(Locale.ROOT);
    }

    private Object expression(Step.EvaluateExpression e) {
        Object p = eval(e.parameters());
        List<Object> params = p instanceof Object[] arr ? Arrays.asList(arr) : p == null ? List.of() : List.of(p);
        String op = e.operator() == null ? "" : e.operator();
        switch (op) {
            case "CreateCrmType":
                return CrmTypeLiteral.create(params);
            case "SelectFirstNonNull":
                return params.stream().filter(x -> x != null && !(x instanceof String s && s.isEmpty())).findFirst().orElse(null);
            case "Add":
            case "Concat":
            case "Sum": {
                Object acc = null;
                for (Object x : params) {
                    acc = acc == null ? x : CrmValues.add(acc, x, e.targetType());
                }
                return acc;
            }
            case "Subtract": {
                if (params.size() == 2 && params.get(0) instanceof Instant t && params.get(1) instanceof XrmTimeSpan s) {
                    return new XrmTimeSpan(-s.years(), -s.months(), -s.days(), -s.hours(), -s.minutes()).addTo(t);
                }
                return params.size() < 2 || params.get(0) == null || params.get(1) == null ? null
                        : CrmValues.number(params.get(0)).subtract(CrmValues.number(params.get(1)));
            }
            case "Multiply":
                return params.size() < 2 || params.contains(null) ? null : CrmValues.number(params.get(0)).multiply(CrmValues.number(params.get(1)));
            case "Divide": {
                if (params.size() < 2 || params.contains(null)) {
                    return null;
                }
                BigDecimal divisor = CrmValues.number(params.get(1));
                if (divisor.signum() == 0) {
                    // a field that is zero on this record: the process fails, as .NET's division does
                    throw new WorkflowFailure("Attempted to divide by zero.");
                }
                return CrmValues.number(params.get(0)).divide(divisor, 10, RoundingMode.HALF_UP).stripTrailingZeros();
            }
            case "RetrieveCurrentTime":
            case "Now":
                return run.host.now();
            case "RetrieveLastExecutionTime":
                return lastExecutionTime;
            case "CustomOperationArguments":
                return params.isEmpty() ? null : run.arguments.get(String.valueOf(params.get(0)));
            case "TrimLeft":
                return params.isEmpty() || params.get(0) == null ? null : CrmValues.text(params.get(0)).stripLeading();
            case "TrimRight":
                return params.isEmpty() || params.get(0) == null ? null : CrmValues.text(params.get(0)).stripTrailing();
            default:
                throw new XamlException("Expression operator not supported for specified type: " + op);
        }
    }

    // ----- the VB expression evaluator

    private Object eval(Expr e) {
        if (e == null) {
            return null;
        }
        if (e instanceof Expr.Literal l) {
            return l.value();
        }
        if (e instanceof Expr.Name n) {
            return name(n.name());
        }
        if (e instanceof Expr.Member m) {
            String q = qualified(e);
            if (q != null && !isVariable(rootName(e))) {
                return name(q);
            }
            Object target = eval(m.target());
            return member(target, m.member(), List.of());
        }
        if (e instanceof Expr.Call c) {
            return call(c);
        }
        if (e instanceof Expr.New n) {
            return construct(n);
        }
        if (e instanceof Expr.Binary b) {
            return binary(b);
        }
        if (e instanceof Expr.Not n) {
            return !CrmValues.truthy(eval(n.operand()));
        }
        throw new XamlException("Unsupported expression " + e);
    }

    private boolean isVariable(String name) {
        for (Scope s : scopes) {
            if (s.variables().containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    private static String rootName(Expr e) {
        Expr x = e;
        while (x instanceof Expr.Member m) {
            x = m.target();
        }
        return x instanceof Expr.Name n ? n.name() : null;
    }

    /** A dotted name made only of names ({@code System.DateTime.MinValue}), or null. */
    private static String qualified(Expr e) {
        if (e instanceof Expr.Name n) {
            return n.name();
        }
        if (e instanceof Expr.Member m) {
            String t = qualified(m.target());
            return t == null ? null : t + "." + m.member();
        }
        return null;
    }

    private Object name(String name) {
        for (Scope s : scopes) {
            if (s.variables().containsKey(name)) {
                return s.variables().get(name);
            }
        }
        String simple = name.startsWith("System.") ? name.substring(7) : name;
        switch (simple) {
            case "InputEntities":
                return run.inputEntities;
            case "CreatedEntities":
                return run.createdEntities;
            case "DateTime.UtcNow":
            case "DateTime.Now":
                return run.host.now();
            case "DateTime.MinValue":
                return CrmValues.MIN;
            case "DateTime.MaxValue":
                return CrmValues.MAX;
            default:
                break;
        }
        int dot = name.lastIndexOf('.');
        if (name.contains("WorkflowPropertyType.") || name.contains("OperationStatus.")) {
            return new CrmTypeLiteral.Token(name.substring(dot + 1));
        }
        throw new XamlException("Unknown name '" + name + "' in a workflow expression");
    }

    private Object member(Object target, String member, List<Object> args) {
        if (target == null && member.equals("Id")) {
            return null;
        }
        if (target instanceof Entity en && member.equals("Id")) {
            return en.id();
        }
        if (target instanceof EntityReference r && member.equals("Id")) {
            return r.id();
        }
        switch (member) {
            case "ToString":
                return target == null ? "" : CrmValues.text(target);
            case "ToUniversalTime":
            case "Value":
                return target;
            case "Add":
                return CrmValues.add(target, args.isEmpty() ? null : args.get(0), null);
            default:
                throw new XamlException("Unsupported member '" + member + "' in a workflow expression");
        }
    }

    @SuppressWarnings("unchecked")
    private Object call(Expr.Call c) {
        String fn = qualified(c.target());
        if (fn != null && (fn.equals("InputEntities") || fn.equals("CreatedEntities"))) {
            String key = String.valueOf(eval(c.args().get(0)));
            return fn.equals("InputEntities") ? input(key) : run.createdEntities.get(key);
        }
        if (fn != null && fn.endsWith("DirectCast") || "CType".equals(fn)) {
            Object v = eval(c.args().get(0));
            String type = c.args().size() > 1 ? qualified(c.args().get(1)) : null;
            return cast(v, type);
        }
        if (fn != null && fn.endsWith("IIf")) {
            return CrmValues.truthy(eval(c.args().get(0))) ? eval(c.args().get(1)) : eval(c.args().get(2));
        }
        if (fn != null && fn.endsWith("IsNothing")) {
            return eval(c.args().get(0)) == null;
        }
        if (c.target() instanceof Expr.Member m) {
            Object target = eval(m.target());
            List<Object> args = new ArrayList<>();
            for (Expr a : c.args()) {
                args.add(eval(a));
            }
            return member(target, m.member(), args);
        }
        Object target = eval(c.target());
        if (target instanceof Map<?, ?> map && c.args().size() == 1) {
            return ((Map<String, Object>) map).get(String.valueOf(eval(c.args().get(0))));
        }
        throw new XamlException("Unsupported call in a workflow expression: " + c);
    }

    /** An InputEntities slot: the primary record, or a related record loaded on first use. */
    private Entity input(String key) {
        Entity e = run.inputEntities.get(key);
        if (e != null || !key.startsWith("related_")) {
            return e;
        }
        String[] parts = key.substring("related_".length()).split("#");
        Entity primary = run.inputEntities.get("primaryEntity");
        if (parts.length < 2 || primary == null) {
            return null;
        }
        Object ref = primary.get(parts[0]);
        if (ref instanceof EntityReference r && r.logicalName().equals(parts[1])) {
            Entity related = run.host.retrieve(parts[1], r.id()).orElse(null);
            if (related != null) {
                run.inputEntities.put(key, related);
            }
            return related;
        }
        return null;
    }

    private static Object cast(Object v, String type) {
        if (v == null || type == null) {
            return v;
        }
        return switch (type) {
            case "System.String", "String" -> CrmValues.text(v);
            case "System.Guid", "Guid" -> toUuid(v);
            case "System.Boolean", "Boolean" -> CrmValues.bool(v);
            case "System.DateTime", "DateTime" -> v instanceof Instant ? v : dev.dve.payload.PayloadReader.parseDateTime(v.toString());
            default -> v;
        };
    }

    private static UUID toUuid(Object v) {
        if (v instanceof UUID u) {
            return u;
        }
        if (v instanceof EntityReference r) {
            return r.id();
        }
        if (v instanceof Entity e) {
            return e.id();
        }
        return UUID.fromString(String.valueOf(v).trim());
    }

    private Object construct(Expr.New n) {
        String type = n.type();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        switch (simple) {
            case "Entity":
                return new Entity(n.args().isEmpty() ? null : String.valueOf(eval(n.args().get(0))));
            case "EntityReference":
                return n.args().size() >= 2 ? new EntityReference(String.valueOf(eval(n.args().get(0))), toUuid(eval(n.args().get(1))))
                        : new EntityReference(null, null);
            case "Guid":
                return n.args().isEmpty() ? null : toUuid(eval(n.args().get(0)));
            case "Dictionary":
                return new LinkedHashMap<String, Object>();
            case "Object": {
                Object[] items = new Object[n.items().size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = eval(n.items().get(i));
                }
                return items;
            }
            case "InvalidPluginExecutionException": {
                Object status = n.args().isEmpty() ? null : eval(n.args().get(0));
                return new CrmTypeLiteral.Token(status instanceof CrmTypeLiteral.Token t ? t.name() : "Canceled");
            }
            default:
                throw new XamlException("Unsupported 'New " + type + "' in a workflow expression");
        }
    }

    private Object binary(Expr.Binary b) {
        Object l = eval(b.left());
        Object r = eval(b.right());
        return switch (b.operator()) {
            case ">=" -> l != null && r != null && CrmValues.compare(l, r) >= 0;
            case "<=" -> l != null && r != null && CrmValues.compare(l, r) <= 0;
            case ">" -> l != null && r != null && CrmValues.compare(l, r) > 0;
            case "<" -> l != null && r != null && CrmValues.compare(l, r) < 0;
            case "=" -> CrmValues.equal(l, r);
            case "<>" -> !CrmValues.equal(l, r);
            case "And" -> CrmValues.truthy(l) && CrmValues.truthy(r);
            case "Or" -> CrmValues.truthy(l) || CrmValues.truthy(r);
            case "+" -> CrmValues.add(l, r, null);
            case "-" -> l == null || r == null ? null : CrmValues.number(l).subtract(CrmValues.number(r));
            default -> throw new XamlException("Unsupported operator " + b.operator());
        };
    }

    @SuppressWarnings("unchecked")
    private void assign(Expr to, Object value) {
        if (to == null || to instanceof Expr.Literal) {
            return;
        }
        if (to instanceof Expr.Name n) {
            for (Scope s : scopes) {
                if (s.variables().containsKey(n.name())) {
                    s.variables().put(n.name(), value);
                    return;
                }
            }
            if (scopes.isEmpty()) {
                scopes.push(new Scope(null, new LinkedHashMap<>()));
            }
            scopes.peek().variables().put(n.name(), value);
            return;
        }
        if (to instanceof Expr.Call c) {
            String fn = qualified(c.target());
            if ("InputEntities".equals(fn) || "CreatedEntities".equals(fn)) {
                Map<String, Entity> dict = fn.equals("InputEntities") ? run.inputEntities : run.createdEntities;
                String key = String.valueOf(eval(c.args().get(0)));
                if (value == null) {
                    dict.remove(key);
                } else if (value instanceof Entity e) {
                    Entity current = dict.get(key);
                    if (dict == run.inputEntities && current != null && current != e && e.id() != null && e.id().equals(current.id())) {
                        e.attributes().forEach(current::set); // later steps see the updated values and the rest of the record
                    } else {
                        dict.put(key, e);
                    }
                } else {
                    throw new WorkflowFailure("Only a record can be stored in " + fn + "(\"" + key + "\")");
                }
                return;
            }
            Object target = eval(c.target());
            if (target instanceof Map<?, ?> map && c.args().size() == 1) {
                ((Map<String, Object>) map).put(String.valueOf(eval(c.args().get(0))), value);
                return;
            }
        }
        if (to instanceof Expr.Member m && m.member().equals("Id")) {
            Object target = eval(m.target());
            if (target instanceof Entity e) {
                e.setId(value == null ? null : toUuid(value));
                return;
            }
        }
        throw new XamlException("Cannot assign to " + to);
    }
}
