package dev.dve.engine.workflow.runtime;

import dev.dve.engine.workflow.xaml.Step;
import dev.dve.engine.workflow.xaml.WorkflowDefinition;
import dev.dve.fault.DataverseFault;
import dev.dve.record.Entity;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.dve.engine.workflow.runtime.DesignerXaml.assign;
import static dev.dve.engine.workflow.runtime.DesignerXaml.branch;
import static dev.dve.engine.workflow.runtime.DesignerXaml.conditionSequence;
import static dev.dve.engine.workflow.runtime.DesignerXaml.create;
import static dev.dve.engine.workflow.runtime.DesignerXaml.evaluateCondition;
import static dev.dve.engine.workflow.runtime.DesignerXaml.evaluateExpression;
import static dev.dve.engine.workflow.runtime.DesignerXaml.evaluateLogical;
import static dev.dve.engine.workflow.runtime.DesignerXaml.getProperty;
import static dev.dve.engine.workflow.runtime.DesignerXaml.ifElse;
import static dev.dve.engine.workflow.runtime.DesignerXaml.postpone;
import static dev.dve.engine.workflow.runtime.DesignerXaml.sequence;
import static dev.dve.engine.workflow.runtime.DesignerXaml.sequenceWithTimeSpan;
import static dev.dve.engine.workflow.runtime.DesignerXaml.setProperty;
import static dev.dve.engine.workflow.runtime.DesignerXaml.setStatePrimary;
import static dev.dve.engine.workflow.runtime.DesignerXaml.startChild;
import static dev.dve.engine.workflow.runtime.DesignerXaml.stop;
import static dev.dve.engine.workflow.runtime.DesignerXaml.updatePrimary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the steps of a designer workflow do to an organization, run by the interpreter on an organization in memory. */
class WorkflowInterpreterTest {
    private static final String PRIMARY = "InputEntities(\"primaryEntity\")";
    private static final Instant ON_HOLD_SINCE = Instant.parse("2024-04-01T09:30:00Z");

    private final InMemoryOrganization org = new InMemoryOrganization();
    private final UUID account = org.insert(new Entity("account").set("name", "Acme Temp").set("creditlimit", new BigDecimal("5000.00"))
            .set("creditonhold", false).set("lastonholdtime", ON_HOLD_SINCE));

    private void run(WorkflowDefinition d) {
        WorkflowInterpreter.execute(d, new WorkflowRun(org, org.record(account), null, false));
    }

    private void run(String... steps) {
        run(DesignerXaml.parse(sequence("Body", "", steps)));
    }

    /**
     * A designer check condition: "if {attribute} {operator} {parameters} then create task 'yes', otherwise task
     * 'no'"; answers the subject of the task created.
     */
    private String check(String attribute, String operator, String parameters) {
        InMemoryOrganization fresh = new InMemoryOrganization();
        Entity record = org.record(account);
        fresh.insert(record);
        WorkflowDefinition d = DesignerXaml.parse(sequence("Body", "Left",
                conditionSequence("ConditionStep1", false, "Holds",
                        getProperty(attribute, PRIMARY, "account", "Left"),
                        evaluateCondition(operator, "Left", parameters, "Holds"),
                        branch("ConditionBranchStep2", "Holds", null, create("CreateStep3", "task", "subject", "\"yes\"")),
                        branch("ConditionBranchStep4", "True", null, create("CreateStep5", "task", "subject", "\"no\"")))));
        WorkflowInterpreter.execute(d, new WorkflowRun(fresh, fresh.record(account), null, false));
        assertEquals(1, fresh.all("task").size(), "exactly one branch runs");
        return (String) fresh.all("task").get(0).get("subject");
    }

    @Test
    void textConditionsIgnoreCase() {
        assertEquals("yes", check("name", "Equal", "New Object() { \"acme temp\" }"));
        assertEquals("no", check("name", "NotEqual", "New Object() { \"ACME TEMP\" }"));
        assertEquals("yes", check("name", "Contains", "New Object() { \"TEMP\" }"));
        assertEquals("no", check("name", "Contains", "New Object() { \"Fabrikam\" }"));
        assertEquals("yes", check("name", "DoesNotContain", "New Object() { \"Fabrikam\" }"));
        assertEquals("yes", check("name", "BeginsWith", "New Object() { \"acme\" }"));
        assertEquals("no", check("name", "BeginsWith", "New Object() { \"Temp\" }"));
        assertEquals("yes", check("name", "DoesNotBeginWith", "New Object() { \"Temp\" }"));
        assertEquals("yes", check("name", "EndsWith", "New Object() { \"temp\" }"));
        assertEquals("no", check("name", "DoesNotEndWith", "New Object() { \"temp\" }"));
        assertEquals("yes", check("name", "In", "New Object() { \"Fabrikam\", \"Acme Temp\" }"));
        assertEquals("no", check("name", "NotIn", "New Object() { \"Fabrikam\", \"Acme Temp\" }"));
    }

    @Test
    void numberConditionsCompareNumerically() {
        assertEquals("yes", check("creditlimit", "GreaterThan", "New Object() { 1000 }"));
        assertEquals("no", check("creditlimit", "GreaterThan", "New Object() { 5000 }"));
        assertEquals("yes", check("creditlimit", "GreaterEqual", "New Object() { 5000 }"));
        assertEquals("no", check("creditlimit", "LessThan", "New Object() { 5000 }"));
        assertEquals("yes", check("creditlimit", "LessEqual", "New Object() { 5000.00 }"));
        assertEquals("yes", check("creditlimit", "Between", "New Object() { 1000, 6000 }"));
        assertEquals("no", check("creditlimit", "Between", "New Object() { 6000, 9000 }"));
        assertEquals("yes", check("creditlimit", "NotBetween", "New Object() { 6000, 9000 }"));
    }

    @Test
    void anEmptyFieldIsNullAndNeverGreaterOrSmaller() {
        assertEquals("yes", check("description", "Null", "Nothing"));
        assertEquals("no", check("description", "NotNull", "Nothing"));
        assertEquals("no", check("name", "Null", "Nothing"));
        assertEquals("yes", check("name", "NotNull", "Nothing"));
        assertEquals("no", check("revenue", "GreaterThan", "New Object() { 0 }"));
        assertEquals("no", check("revenue", "LessThan", "New Object() { 0 }"));
        assertEquals("no", check("description", "Equal", "New Object() { \"\" }"));
    }

    @Test
    void dateConditionsCompareInstantsWithDatesAndTheRunsTime() {
        assertEquals("yes", check("lastonholdtime", "GreaterThan", "New Object() { \"2024-03-31T23:59:59Z\" }"));
        assertEquals("no", check("lastonholdtime", "GreaterThan", "New Object() { \"2024-04-01T09:30:00Z\" }"));
        assertEquals("yes", check("lastonholdtime", "Equal", "New Object() { \"2024-04-01T09:30:00Z\" }"));
        // the organization's clock says 2024-05-01: the hold started before now
        assertEquals("yes", check("lastonholdtime", "LessThan", "New Object() { DateTime.UtcNow }"));
        assertEquals("no", check("lastonholdtime", "Equal", "New Object() { \"next week\" }"));
    }

    @Test
    void andAndOrCombineTheClausesOfOneBranch() {
        for (String[] c : new String[][]{{"Or", "\"Fabrikam\"", "yes"}, {"And", "\"Fabrikam\"", "no"}, {"And", "\"Acme\"", "yes"}}) {
            InMemoryOrganization fresh = new InMemoryOrganization();
            fresh.insert(org.record(account));
            WorkflowDefinition d = DesignerXaml.parse(sequence("Body", "Name, Limit",
                    conditionSequence("ConditionStep1", false, "A, B, Holds",
                            getProperty("name", PRIMARY, "account", "Name"),
                            evaluateCondition("BeginsWith", "Name", "New Object() { " + c[1] + " }", "A"),
                            getProperty("creditlimit", PRIMARY, "account", "Limit"),
                            evaluateCondition("GreaterThan", "Limit", "New Object() { 1000 }", "B"),
                            evaluateLogical(c[0], "A", "B", "Holds"),
                            branch("ConditionBranchStep2", "Holds", null, create("CreateStep3", "task", "subject", "\"yes\"")),
                            branch("ConditionBranchStep4", "True", null, create("CreateStep5", "task", "subject", "\"no\"")))));
            WorkflowInterpreter.execute(d, new WorkflowRun(fresh, fresh.record(account), null, false));
            assertEquals(c[2], fresh.all("task").get(0).get("subject"), String.join(" ", c));
        }
    }

    @Test
    void theFirstBranchThatHoldsRunsAndTheOthersDoNot() {
        run(conditionSequence("ConditionStep1", false, "",
                branch("ConditionBranchStep2", "False", null, create("CreateStep3", "task", "subject", "\"first\"")),
                branch("ConditionBranchStep4", "True", null, create("CreateStep5", "task", "subject", "\"second\"")),
                branch("ConditionBranchStep6", "True", null, create("CreateStep7", "task", "subject", "\"third\""))));
        assertEquals(List.of("create task{subject=second}"), org.writes());
    }

    @Test
    void vbConditionsFollowVbPrecedence() {
        // (False And False) Or True is True in VB
        run(ifElse("False And False Or True", create("CreateStep1", "task", "subject", "\"then\""), create("CreateStep2", "task", "subject", "\"else\"")));
        // a comparison joined with And compares first
        run(ifElse("1 = 1 And 2 = 3", create("CreateStep3", "task", "subject", "\"then\""), create("CreateStep4", "task", "subject", "\"else\"")));
        assertEquals(List.of("create task{subject=then}", "create task{subject=else}"), org.writes());
    }

    @Test
    void changeStatusUpdatesStateAndStatusOfThePrimaryRecord() {
        run(setStatePrimary("SetStateStep1", "account", 1, 2));
        assertEquals(List.of("update account{statecode=1, statuscode=2}"), org.writes());
        assertEquals(1, org.record(account).get("statecode"));
        assertEquals("SetState", org.completed().get(0).kind());
    }

    @Test
    void stopCanceledEndsTheRunWithItsReasonAfterTheStepsBeforeIt() {
        WorkflowStopped s = assertThrows(WorkflowStopped.class, () -> run(
                updatePrimary("UpdateStep1", "account", "description", "\"checked\""),
                stop("StopWorkflowStep2", true, "Credit limit too high"),
                create("CreateStep3", "task", "subject", "\"never\"")));
        assertTrue(s.canceled());
        assertEquals("Credit limit too high", s.getMessage());
        assertEquals(List.of("update account{description=checked}"), org.writes());
    }

    @Test
    void stopSucceededEndsTheRunQuietly() {
        run(create("CreateStep1", "task", "subject", "\"before\""),
                stop("StopWorkflowStep2", false, "done"),
                create("CreateStep3", "task", "subject", "\"after\""));
        assertEquals(List.of("create task{subject=before}"), org.writes());
    }

    @Test
    void aStepOnARecordTheRunNeverCreatedFailsTheRunNamingTheStep() {
        WorkflowFailure f = assertThrows(WorkflowFailure.class, () -> run(
                conditionSequence("ConditionStep1", false, "",
                        branch("ConditionBranchStep2", "False", null, create("CreateStep3", "task", "subject", "\"skipped\""))),
                sequence("UpdateStep4", "",
                        setProperty("subject", "CreatedEntities(\"CreateStep3_localParameter\")", "task", "\"renamed\""),
                        "<mxswa:UpdateEntity DisplayName=\"UpdateStep4\" Entity=\"[CreatedEntities(&quot;CreateStep3_localParameter&quot;)]\" EntityName=\"task\" />")));
        assertEquals("SetEntityProperty: no record to set 'subject' on", f.getMessage());
        WorkflowFailure update = assertThrows(WorkflowFailure.class, () -> run(
                "<mxswa:UpdateEntity DisplayName=\"UpdateStep1\" Entity=\"[CreatedEntities(&quot;CreateStep9_localParameter&quot;)]\" EntityName=\"task\" />"));
        assertEquals("UpdateStep1: no record to work on", update.getMessage());
        assertEquals(List.of(), org.writes());
    }

    @Test
    void aFieldTheTableDoesNotHaveFailsTheRunWithDataversesMessage() {
        WorkflowFailure f = assertThrows(WorkflowFailure.class, () -> run(updatePrimary("UpdateStep1", "account", "nosuchfield", "\"x\"")));
        assertEquals("'account' entity doesn't contain attribute with Name = 'nosuchfield'.", f.getMessage());
        assertEquals(List.of(), org.writes());
    }

    @Test
    void aNonRecordStoredAsARecordFailsTheRun() {
        WorkflowFailure f = assertThrows(WorkflowFailure.class, () -> run(assign("CreatedEntities(\"x\")", "\"text\"")));
        assertEquals("Only a record can be stored in CreatedEntities(\"x\")", f.getMessage());
    }

    @Test
    void aDelayWaitsUntilTheTimeItComputesFromTheRecord() {
        WorkflowWaiting w = assertThrows(WorkflowWaiting.class, () -> run(DesignerXaml.parse(sequenceWithTimeSpan("Body", "Delay", 2, "Since",
                create("CreateStep1", "task", "subject", "\"before\""),
                getProperty("lastonholdtime", PRIMARY, "account", "Since"),
                postpone("Delay.Add(DirectCast(Since, System.DateTime))"),
                create("CreateStep2", "task", "subject", "\"after\"")))));
        assertEquals(ON_HOLD_SINCE.plus(Duration.ofDays(2)), w.until());
        assertEquals("Postpone", w.step().kind());
        assertEquals(List.of("create task{subject=before}"), org.writes());
    }

    @Test
    void aPreOperationUpdateOfThePrimaryRecordChangesTheValuesBeingWrittenNotTheStoredRow() {
        Entity stored = org.record(account);
        Entity target = new Entity("account", account).set("name", "Acme Renamed");
        Entity seen = stored.copy();
        target.attributes().forEach(seen::set);
        WorkflowDefinition d = DesignerXaml.parse(sequence("Body", "Name",
                updatePrimary("UpdateStep1", "account", "description", "\"checked\""),
                getProperty("name", PRIMARY, "account", "Name"),
                create("CreateStep2", "task", "subject", "Name")));
        WorkflowInterpreter.execute(d, new WorkflowRun(org, seen, target, true));

        assertEquals("checked", target.get("description"), "the in-flight values carry the change");
        assertEquals("Acme Renamed", target.get("name"));
        assertNull(org.record(account).get("description"), "no separate update of the stored row");
        // the step after sees the values being written, not the row as stored before the operation
        assertEquals(List.of("create task{subject=Acme Renamed}"), org.writes());
    }

    @Test
    void aPostOperationUpdateOfThePrimaryRecordIsAnUpdate() {
        run(updatePrimary("UpdateStep1", "account", "description", "\"checked\""));
        assertEquals(List.of("update account{description=checked}"), org.writes());
        assertEquals("checked", org.record(account).get("description"));
    }

    @Test
    void aChildWorkflowIsStartedOnThePrimaryRecordAsAStep() {
        UUID child = UUID.fromString("00000000-0000-0000-0000-00000000c4d1");
        run(startChild("ChildWorkflowStep1", "account", child.toString()));
        assertEquals(List.of("start " + child + " on account"), org.writes());
        assertEquals(new StepInfo("ChildWorkflowStep1", "StartChildWorkflow", "0.0.0"), org.completed().get(0));
    }

    @Test
    void arithmeticAndTextOfTheDesignersValueExpressions() {
        run(DesignerXaml.parse(sequence("Body", "Sum, Difference, Product, Quotient, Now, Text, Money, Flag, First",
                evaluateExpression("Add", "New Object() { 2, 3.5 }", "Sum"),
                evaluateExpression("Subtract", "New Object() { 10, 4 }", "Difference"),
                evaluateExpression("Multiply", "New Object() { 6, 7 }", "Product"),
                evaluateExpression("Divide", "New Object() { 10, 4 }", "Quotient"),
                evaluateExpression("RetrieveCurrentTime", "New Object() {  }", "Now"),
                evaluateExpression("CreateCrmType", "New Object() { Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.String, \"a&#44; b &amp; c\", \"String\" }", "Text"),
                evaluateExpression("CreateCrmType", "New Object() { Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.Money, \"2000\" }", "Money"),
                evaluateExpression("CreateCrmType", "New Object() { Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.Boolean, \"1\" }", "Flag"),
                evaluateExpression("SelectFirstNonNull", "New Object() { Nothing, \"\", \"fallback\" }", "First"),
                create("CreateStep1", "task", "subject", "Sum.ToString() & \"|\" & Difference.ToString() & \"|\" & Product.ToString() & \"|\" & Quotient.ToString()"
                        + " & \"|\" & Now.ToString() & \"|\" & Text & \"|\" & Money.ToString() & \"|\" & Flag.ToString() & \"|\" & First"))));
        assertEquals(List.of("create task{subject=5.5|6|42|2.5|2024-05-01T08:00:00Z|a, b & c|2000|true|fallback}"), org.writes());
    }

    @Test
    void dividingByZeroFailsTheRunInsteadOfFaultingTheEmulator() {
        WorkflowFailure f = assertThrows(WorkflowFailure.class, () -> run(DesignerXaml.parse(sequence("Body", "Quotient",
                evaluateExpression("Divide", "New Object() { 10, 0 }", "Quotient")))));
        assertTrue(f.getMessage().contains("divide by zero"), f.getMessage());
    }

    @Test
    void everyOperatorTheParserAcceptsIsOneTheInterpreterEvaluates() {
        for (String op : Step.EvaluateCondition.OPERATORS) {
            String result = check("name", op, "New Object() { \"a\", \"z\" }");
            assertTrue(result.equals("yes") || result.equals("no"), op);
        }
        for (String op : Step.EvaluateExpression.OPERATORS) {
            String params = op.equals("CreateCrmType") ? "New Object() { Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.Integer, \"3\" }" : "New Object() { 8, 2 }";
            run(DesignerXaml.parse(sequence("Body", "R", evaluateExpression(op, params, "R"))));
        }
    }

    @Test
    void anUpdateWithoutAnIdIsRefusedAsTheSdkRefusesIt() {
        DataverseFault f = assertThrows(DataverseFault.class, () -> run(
                assign("CreatedEntities(\"x#Temp\")", "New Entity(\"account\")"),
                "<mxswa:UpdateEntity DisplayName=\"UpdateStep1\" Entity=\"[CreatedEntities(&quot;x#Temp&quot;)]\" EntityName=\"account\" />"));
        assertEquals("Entity Id must be specified for Update", f.getMessage());
        assertEquals(List.of(), org.writes());
    }
}
