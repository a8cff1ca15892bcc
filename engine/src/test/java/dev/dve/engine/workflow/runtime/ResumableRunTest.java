package dev.dve.engine.workflow.runtime;

import dev.dve.engine.workflow.xaml.WorkflowDefinition;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.dve.engine.workflow.runtime.DesignerXaml.assign;
import static dev.dve.engine.workflow.runtime.DesignerXaml.branch;
import static dev.dve.engine.workflow.runtime.DesignerXaml.conditionSequence;
import static dev.dve.engine.workflow.runtime.DesignerXaml.create;
import static dev.dve.engine.workflow.runtime.DesignerXaml.evaluateCondition;
import static dev.dve.engine.workflow.runtime.DesignerXaml.evaluateExpression;
import static dev.dve.engine.workflow.runtime.DesignerXaml.getProperty;
import static dev.dve.engine.workflow.runtime.DesignerXaml.postpone;
import static dev.dve.engine.workflow.runtime.DesignerXaml.sequence;
import static dev.dve.engine.workflow.runtime.DesignerXaml.sequenceWithTimeSpan;
import static dev.dve.engine.workflow.runtime.DesignerXaml.updatePrimary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run stops (a crash, a delay, a wait) and continues from its last checkpoint without repeating a completed step. */
class ResumableRunTest {
    private static final String PRIMARY = "InputEntities(\"primaryEntity\")";

    /**
     * Five effectful steps: a task named after the account, an update of the account, a second task pointing at the
     * first, and on the "big account" branch an update and a task that again uses the greeting and the first task.
     */
    private static final WorkflowDefinition FOLLOW_UP = DesignerXaml.parse(sequence("Body", "Greeting, Limit",
            getProperty("name", PRIMARY, "account", "Greeting"),
            create("CreateStep1", "task", "subject", "Greeting"),
            updatePrimary("UpdateStep2", "account", "description", "Greeting"),
            create("CreateStep3", "task", "subject", "\"second\"",
                    "regardingobjectid", "New EntityReference(\"task\", CreatedEntities(\"CreateStep1_localParameter\").Id)"),
            conditionSequence("ConditionStep4", false, "ConditionBranchStep5_condition",
                    getProperty("creditlimit", PRIMARY, "account", "Limit"),
                    evaluateCondition("GreaterThan", "Limit", "New Object() { 1000 }", "ConditionBranchStep5_condition"),
                    branch("ConditionBranchStep5", "ConditionBranchStep5_condition", null,
                            updatePrimary("UpdateStep6", "account", "description", "\"big\""),
                            create("CreateStep7", "task", "subject", "Greeting & \" (big)\"",
                                    "regardingobjectid", "New EntityReference(\"task\", CreatedEntities(\"CreateStep1_localParameter\").Id)")),
                    branch("ConditionBranchStep8", "True", null,
                            create("CreateStep9", "task", "subject", "\"small\"")))));

    private static final List<String> FOLLOW_UP_WRITES = List.of(
            "create task{subject=Acme}",
            "update account{description=Acme}",
            "create task{regardingobjectid=->task, subject=second}",
            "update account{description=big}",
            "create task{regardingobjectid=->task, subject=Acme (big)}");

    /** An organization with one account, Acme, credit limit 5000, not on hold; the workflows run on it. */
    private static final class Job {
        final InMemoryOrganization org = new InMemoryOrganization();
        final UUID account = org.insert(new Entity("account").set("name", "Acme").set("creditlimit", new BigDecimal("5000.00")).set("creditonhold", false));

        /** One execution of the run, as a job runner starts it: the primary record read afresh, the last checkpoint if any. */
        void execute(WorkflowDefinition definition, String checkpoint) {
            WorkflowRun run = new WorkflowRun(org, org.record(account), null, false);
            if (checkpoint != null) {
                run.resumeFrom(checkpoint);
            }
            WorkflowInterpreter.execute(definition, run);
        }

        List<String> completedNames() {
            return org.completed().stream().map(StepInfo::name).toList();
        }
    }

    private final Job job = new Job();
    private final InMemoryOrganization org = job.org;
    private final UUID account = job.account;

    private void execute(WorkflowDefinition definition, String checkpoint) {
        job.execute(definition, checkpoint);
    }

    private Entity task(String subject) {
        return org.all("task").stream().filter(t -> subject.equals(t.get("subject"))).findFirst().orElseThrow(() -> new AssertionError("no task " + subject));
    }

    private List<String> completedNames() {
        return job.completedNames();
    }

    @Test
    void aRunWithoutStopsCompletesEveryStepOnceWithACheckpointAfterEach() {
        execute(FOLLOW_UP, null);
        assertEquals(FOLLOW_UP_WRITES, org.writes());
        assertEquals(List.of("CreateStep1", "UpdateStep2", "CreateStep3", "UpdateStep6", "CreateStep7"), completedNames());
        assertEquals(List.of("CreateEntity", "UpdateEntity", "CreateEntity", "UpdateEntity", "CreateEntity"), org.completed().stream().map(StepInfo::kind).toList());
        // Body is the workflow's step 0, CreateEntity the step 2 of CreateStep1; the condition is Body's step 4, its
        // first branch activity 2, Then child 0, CreateStep7 Then's step 1 and its CreateEntity step 3
        assertEquals("0.1.2", org.completed().get(0).path());
        assertEquals("0.4.2.0.1.3", org.completed().get(4).path());
    }

    @Test
    void aCrashAtAnyStepResumesAfterTheLastCommittedStepAndWritesEachRecordOnce() {
        for (int crashAt = 1; crashAt <= FOLLOW_UP_WRITES.size(); crashAt++) {
            Job t = new Job();
            InMemoryOrganization fresh = t.org;
            AtomicInteger calls = new AtomicInteger();
            int k = crashAt;
            fresh.crashWhen(step -> calls.incrementAndGet() == k);
            assertThrows(InMemoryOrganization.Crash.class, () -> t.execute(FOLLOW_UP, null));
            assertEquals(FOLLOW_UP_WRITES.subList(0, k - 1), fresh.writes(), "rolled back with the crashed step " + k);
            t.execute(FOLLOW_UP, fresh.checkpoint());
            assertEquals(FOLLOW_UP_WRITES, fresh.writes(), "crash at step " + k);
            assertEquals(List.of("CreateStep1", "UpdateStep2", "CreateStep3", "UpdateStep6", "CreateStep7"), t.completedNames(), "crash at step " + k);
        }
    }

    @Test
    void crashingOnceAtEveryStepStillWritesEachRecordOnceInOrder() {
        Set<String> attempted = new HashSet<>();
        org.crashWhen(step -> attempted.add(step.path()));
        int executions = 0;
        while (true) {
            executions++;
            try {
                execute(FOLLOW_UP, org.checkpoint());
                break;
            } catch (InMemoryOrganization.Crash expected) {
                // the job runner takes the job over and resumes it
            }
        }
        assertEquals(6, executions);
        assertEquals(FOLLOW_UP_WRITES, org.writes());
    }

    @Test
    void variablesAndCreatedRecordIdsFromBeforeTheCheckpointAreThereAfterIt() {
        AtomicInteger calls = new AtomicInteger();
        org.crashWhen(step -> calls.incrementAndGet() == 3); // CreateStep3: its pointer to the first task is rolled back
        assertThrows(InMemoryOrganization.Crash.class, () -> execute(FOLLOW_UP, null));
        org.change(account, "name", "Renamed meanwhile");
        org.crashWhen(step -> false);
        execute(FOLLOW_UP, org.checkpoint());

        UUID first = task("Acme").id();
        // the greeting was read before the checkpoint: the resumed run keeps it and does not read the name again
        Entity big = task("Acme (big)");
        assertEquals(first, ((EntityReference) big.get("regardingobjectid")).id());
        assertEquals(first, ((EntityReference) task("second").get("regardingobjectid")).id());
        assertEquals(3, org.all("task").size());
    }

    @Test
    void aResumedRunStaysOnTheBranchItTookEvenWhenTheRecordNowSaysOtherwise() {
        AtomicInteger calls = new AtomicInteger();
        org.crashWhen(step -> calls.incrementAndGet() == 5); // CreateStep7, inside the "big account" branch
        assertThrows(InMemoryOrganization.Crash.class, () -> execute(FOLLOW_UP, null));
        org.change(account, "creditlimit", new BigDecimal("10"));
        org.crashWhen(step -> false);
        execute(FOLLOW_UP, org.checkpoint());

        assertEquals(FOLLOW_UP_WRITES, org.writes());
        assertTrue(org.all("task").stream().noneMatch(t -> "small".equals(t.get("subject"))));
    }

    @Test
    void aResumedRunDoesNotAskAConditionItHasPassedAgain() {
        // the condition reads the clock, so asked again a day later it would go the other way
        WorkflowDefinition inTime = DesignerXaml.parse(sequenceWithTimeSpan("Body", "Hours", 0, "Deadline",
                assign("Deadline", "Hours.Add(DateTime.UtcNow)"),
                DesignerXaml.ifElse("DateTime.UtcNow <= Deadline",
                        sequence("InTime", "", create("CreateStep1", "task", "subject", "\"first\""), create("CreateStep2", "task", "subject", "\"second\"")),
                        create("CreateStep3", "task", "subject", "\"late\""))));
        org.crashWhen(step -> step.name().equals("CreateStep2"));
        assertThrows(InMemoryOrganization.Crash.class, () -> execute(inTime, null));
        org.now(Duration.ofDays(1));
        org.crashWhen(step -> false);
        execute(inTime, org.checkpoint());
        assertEquals(List.of("create task{subject=first}", "create task{subject=second}"), org.writes());
    }

    @Test
    void resumingFromTheLastStepsCheckpointHasNothingLeftToDo() {
        execute(FOLLOW_UP, null);
        execute(FOLLOW_UP, org.checkpoint());
        assertEquals(FOLLOW_UP_WRITES, org.writes());
    }

    @Test
    void aCheckpointThatDoesNotFitTheDefinitionIsAnError() {
        execute(FOLLOW_UP, null);
        WorkflowDefinition other = DesignerXaml.parse(sequence("Body", "", create("CreateStep1", "task", "subject", "\"x\"")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> execute(other, org.checkpoint()));
        assertTrue(e.getMessage().contains("not in this workflow definition"), e.getMessage());
    }

    @Test
    void aDelayWaitsWithACheckpointAndContinuesOnceItsTimeHasCome() {
        WorkflowDefinition delayed = DesignerXaml.parse(sequenceWithTimeSpan("Body", "Delay", 1, "",
                create("CreateStep1", "task", "subject", "\"before\""),
                postpone("Delay.Add(DateTime.UtcNow)"),
                create("CreateStep2", "task", "subject", "\"after\"")));
        Instant start = org.now();

        WorkflowWaiting w = assertThrows(WorkflowWaiting.class, () -> execute(delayed, null));
        assertEquals(start.plus(Duration.ofDays(1)), w.until());
        assertEquals(new StepInfo("Postpone", "Postpone", "0.1"), w.step());
        assertNotNull(w.checkpoint());

        // woken early (a manual resume): it keeps its time instead of counting a day from now again
        org.now(Duration.ofHours(5));
        WorkflowWaiting again = assertThrows(WorkflowWaiting.class, () -> execute(delayed, w.checkpoint()));
        assertEquals(start.plus(Duration.ofDays(1)), again.until());

        org.now(Duration.ofHours(19));
        execute(delayed, again.checkpoint());
        assertEquals(List.of("create task{subject=before}", "create task{subject=after}"), org.writes());
    }

    /** The designer's "wait until the account is on credit hold", then a task. */
    private static final WorkflowDefinition WAIT_FOR_HOLD = DesignerXaml.parse(sequence("Body", "WaitBranchStep2_1, WaitBranchStep2_2",
            create("CreateStep1", "task", "subject", "\"before\""),
            conditionSequence("WaitStep1: until on hold", true, "WaitBranchStep2_condition",
                    getProperty("creditonhold", PRIMARY, "account", "WaitBranchStep2_1"),
                    evaluateExpression("CreateCrmType", "New Object() { Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.Boolean, \"True\" }", "WaitBranchStep2_2"),
                    evaluateCondition("Equal", "WaitBranchStep2_1", "New Object() { WaitBranchStep2_2 }", "WaitBranchStep2_condition"),
                    branch("WaitBranchStep2", "WaitBranchStep2_condition", null,
                            create("CreateStep3", "task", "subject", "\"on hold\"")))));

    @Test
    void aWaitConditionWaitsForeverAndIsAskedAgainAgainstTheRecordAsItIsNow() {
        WorkflowWaiting w = assertThrows(WorkflowWaiting.class, () -> execute(WAIT_FOR_HOLD, null));
        assertEquals(WorkflowWaiting.FOREVER, w.until());
        assertEquals(new StepInfo("WaitStep1: until on hold", "Wait", "0.1"), w.step());

        // an unrelated change wakes it: still not on hold, it waits again
        org.change(account, "name", "Acme 2");
        WorkflowWaiting again = assertThrows(WorkflowWaiting.class, () -> execute(WAIT_FOR_HOLD, w.checkpoint()));
        assertEquals(WorkflowWaiting.FOREVER, again.until());

        org.change(account, "creditonhold", true);
        execute(WAIT_FOR_HOLD, again.checkpoint());
        assertEquals(List.of("create task{subject=before}", "create task{subject=on hold}"), org.writes());
    }

    /** A wait on credit hold paired with the designer's "process timeout equals 2 days". */
    private static final WorkflowDefinition WAIT_OR_TIME_OUT = DesignerXaml.parse(sequenceWithTimeSpan("Body", "WaitTimeoutStep3_2", 2, "WaitBranchStep2_1, WaitTimeoutStep3_1",
            create("CreateStep1", "task", "subject", "\"before\""),
            conditionSequence("WaitStep1", true, "WaitBranchStep2_condition, WaitTimeoutStep3_condition",
                    getProperty("creditonhold", PRIMARY, "account", "WaitBranchStep2_1"),
                    evaluateCondition("Equal", "WaitBranchStep2_1", "New Object() { True }", "WaitBranchStep2_condition"),
                    branch("WaitBranchStep2", "WaitBranchStep2_condition", null,
                            create("CreateStep4", "task", "subject", "\"on hold\"")),
                    evaluateExpression("RetrieveLastExecutionTime", "New Object() { WaitTimeoutStep3_1 }", "WaitTimeoutStep3_1"),
                    assign("WaitTimeoutStep3_condition", "DateTime.UtcNow >= WaitTimeoutStep3_2.Add(DirectCast(WaitTimeoutStep3_1, System.DateTime).ToUniversalTime())"),
                    branch("WaitTimeoutStep3", "WaitTimeoutStep3_condition", postpone("WaitTimeoutStep3_2.Add(DateTime.UtcNow)"),
                            create("CreateStep5", "task", "subject", "\"timed out\"")))));

    @Test
    void aWaitWithATimeoutWakesAtTheTimeoutAndKeepsItWhenWokenEarly() {
        Instant start = org.now();
        WorkflowWaiting w = assertThrows(WorkflowWaiting.class, () -> execute(WAIT_OR_TIME_OUT, null));
        assertEquals(start.plus(Duration.ofDays(2)), w.until());

        org.now(Duration.ofDays(1));
        org.change(account, "name", "Acme 2");
        WorkflowWaiting again = assertThrows(WorkflowWaiting.class, () -> execute(WAIT_OR_TIME_OUT, w.checkpoint()));
        assertEquals(start.plus(Duration.ofDays(2)), again.until(), "the timeout still counts from when the wait began");

        org.now(Duration.ofDays(1));
        execute(WAIT_OR_TIME_OUT, again.checkpoint());
        assertEquals(List.of("create task{subject=before}", "create task{subject=timed out}"), org.writes());
    }

    @Test
    void aWaitWithATimeoutProceedsWhenTheRecordMatchesFirst() {
        WorkflowWaiting w = assertThrows(WorkflowWaiting.class, () -> execute(WAIT_OR_TIME_OUT, null));
        org.now(Duration.ofHours(3));
        org.change(account, "creditonhold", true);
        execute(WAIT_OR_TIME_OUT, w.checkpoint());
        assertEquals(List.of("create task{subject=before}", "create task{subject=on hold}"), org.writes());
    }

    @Test
    void aCrashInsideTheStepsAfterAWaitResumesThereWithoutAskingTheWaitAgain() {
        WorkflowDefinition twoAfter = DesignerXaml.parse(sequence("Body", "WaitBranchStep2_1",
                conditionSequence("WaitStep1", true, "WaitBranchStep2_condition",
                        getProperty("creditonhold", PRIMARY, "account", "WaitBranchStep2_1"),
                        evaluateCondition("Equal", "WaitBranchStep2_1", "New Object() { True }", "WaitBranchStep2_condition"),
                        branch("WaitBranchStep2", "WaitBranchStep2_condition", null,
                                create("CreateStep3", "task", "subject", "\"first\""),
                                create("CreateStep4", "task", "subject", "\"second\"")))));
        WorkflowWaiting w = assertThrows(WorkflowWaiting.class, () -> execute(twoAfter, null));
        org.change(account, "creditonhold", true);
        org.crashWhen(step -> step.name().equals("CreateStep4"));
        assertThrows(InMemoryOrganization.Crash.class, () -> execute(twoAfter, w.checkpoint()));
        org.change(account, "creditonhold", false);
        org.crashWhen(step -> false);
        execute(twoAfter, org.checkpoint());
        assertEquals(List.of("create task{subject=first}", "create task{subject=second}"), org.writes());
    }

    @Test
    void aCustomActivityCallsOutOutsideTheStepAndCompletesWithItsOutputs() {
        WorkflowDefinition erp = DesignerXaml.parse(sequence("Body", "ErpNumber",
                DesignerXaml.customActivity("CustomActivityStep1: notify the ERP", "Contoso.Workflows.NotifyErp", "AccountName", "\"Acme\"", "ErpNumber", "ErpNumber"),
                updatePrimary("UpdateStep2", "account", "description", "ErpNumber")));
        // a crash after the call-out, before its outputs commit: the call-out is made again (at least once)
        org.crashWhen(step -> step.kind().equals("CustomActivity") && org.callOuts().size() == 1);
        assertThrows(InMemoryOrganization.Crash.class, () -> execute(erp, null));
        org.crashWhen(step -> step.name().equals("UpdateStep2"));
        assertThrows(InMemoryOrganization.Crash.class, () -> execute(erp, org.checkpoint()));
        assertEquals(new StepInfo("CustomActivityStep1: notify the ERP", "CustomActivity", "0.0"), org.completed().get(0));
        // a crash after its outputs committed: resumed, it is not called again and its output is still there
        org.crashWhen(step -> false);
        execute(erp, org.checkpoint());
        assertEquals(2, org.callOuts().size());
        assertEquals(List.of("update account{description=ERP-2}"), org.writes());
    }

    @Test
    void aHostThatDoesNotCheckpointJustRunsTheSteps() {
        WorkflowHost realTime = new Delegating(org);
        WorkflowInterpreter.execute(FOLLOW_UP, new WorkflowRun(realTime, org.record(account), null, false));
        assertEquals(FOLLOW_UP_WRITES, org.writes());
        assertTrue(org.completed().isEmpty());
        assertNull(org.checkpoint());
    }

    /** A host with the default {@link WorkflowHost#completeStep}, as the real-time host is. */
    private record Delegating(WorkflowHost to) implements WorkflowHost {
        @Override
        public Instant now() {
            return to.now();
        }

        @Override
        public Optional<Entity> retrieve(String entity, UUID id) {
            return to.retrieve(entity, id);
        }

        @Override
        public UUID create(Entity entity) {
            return to.create(entity);
        }

        @Override
        public void update(Entity entity) {
            to.update(entity);
        }

        @Override
        public UUID sendEmail(Entity email, Map<String, List<EntityReference>> parties) {
            return to.sendEmail(email, parties);
        }

        @Override
        public void startChildWorkflow(UUID workflowId, EntityReference target) {
            to.startChildWorkflow(workflowId, target);
        }

        @Override
        public Map<String, Object> customActivity(String typeName, Map<String, Object> inputs) {
            return to.customActivity(typeName, inputs);
        }

        @Override
        public Optional<dev.dve.metadata.AttributeMetadata> attribute(String entity, String attribute) {
            return to.attribute(entity, attribute);
        }

        @Override
        public Optional<String> primaryIdAttribute(String entity) {
            return to.primaryIdAttribute(entity);
        }

        @Override
        public String primaryName(EntityReference reference) {
            return to.primaryName(reference);
        }
    }
}
