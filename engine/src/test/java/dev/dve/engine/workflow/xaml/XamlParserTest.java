package dev.dve.engine.workflow.xaml;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Designer XAML (the samples of {@code fixtures/.../samples/workflows}, written in the shape the process designer
 * writes) read into steps, and the XAML activation must refuse, with a message that names what is wrong.
 */
class XamlParserTest {
    private static final String NS = "xmlns=\"http://schemas.microsoft.com/netfx/2009/xaml/activities\" "
            + "xmlns:mxs=\"clr-namespace:Microsoft.Xrm.Sdk;assembly=Microsoft.Xrm.Sdk, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\" "
            + "xmlns:mxsw=\"clr-namespace:Microsoft.Xrm.Sdk.Workflow;assembly=Microsoft.Xrm.Sdk.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\" "
            + "xmlns:mxswa=\"clr-namespace:Microsoft.Xrm.Sdk.Workflow.Activities;assembly=Microsoft.Xrm.Sdk.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\" "
            + "xmlns:s=\"clr-namespace:System;assembly=mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089\" "
            + "xmlns:scg=\"clr-namespace:System.Collections.Generic;assembly=mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089\" "
            + "xmlns:sco=\"clr-namespace:System.Collections.ObjectModel;assembly=mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089\" "
            + "xmlns:x=\"http://schemas.microsoft.com/winfx/2006/xaml\"";
    private static final String PLATFORM = "Microsoft.Crm.Workflow.Activities.%s, Microsoft.Crm.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35";

    private static String sample(String name) {
        try (InputStream in = XamlParserTest.class.getClassLoader().getResourceAsStream("samples/workflows/" + name)) {
            if (in == null) {
                throw new AssertionError("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A workflow whose body is the given steps. */
    private static String workflow(String steps) {
        return "<Activity x:Class=\"XrmWorkflow00000000000000000000000000000000\" " + NS + ">"
                + "<x:Members><x:Property Name=\"InputEntities\" Type=\"InArgument(scg:IDictionary(x:String, mxs:Entity))\" />"
                + "<x:Property Name=\"CreatedEntities\" Type=\"InArgument(scg:IDictionary(x:String, mxs:Entity))\" /></x:Members>"
                + "<mxswa:Workflow>" + steps + "</mxswa:Workflow></Activity>";
    }

    private static <T extends Step> List<T> steps(WorkflowDefinition d, Class<T> kind) {
        return d.allSteps().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    @Test
    void aConditionWithTwoBranchesReadsAsAnIfElseChainWithItsStops() {
        WorkflowDefinition d = XamlParser.parse(sample("credit-check.xaml"));
        Step.ConditionSequence check = steps(d, Step.ConditionSequence.class).get(0);
        assertEquals("ConditionStep1: too much credit?", check.displayName());
        assertFalse(check.waits());
        assertEquals(List.of("ConditionBranchStep2_condition"), check.variables().stream().map(Step.Variable::name).toList());

        Step.EvaluateCondition greater = steps(d, Step.EvaluateCondition.class).get(0);
        assertEquals("GreaterThan", greater.operator());
        assertEquals(new Expr.Name("ConditionBranchStep2_1"), greater.operand());

        List<Step.ConditionBranch> branches = steps(d, Step.ConditionBranch.class);
        assertEquals(List.of("ConditionBranchStep2", "ConditionBranchStep4"), branches.stream().map(Step.ConditionBranch::displayName).toList());
        // the designer's "Otherwise" is a branch whose condition is the literal True
        assertEquals(new Expr.Literal(true), branches.get(1).condition());

        List<Step.Terminate> stops = steps(d, Step.Terminate.class);
        assertEquals(2, stops.size());
        assertTrue(stops.get(0).canceled(), "OperationStatus.Canceled");
        assertFalse(stops.get(1).canceled(), "OperationStatus.Succeeded");
        assertEquals(new Expr.Call(new Expr.Name("DirectCast"), List.of(new Expr.Name("StopWorkflowStep3_1"),
                new Expr.Member(new Expr.Name("System"), "String"))), stops.get(0).reason());
    }

    @Test
    void createStepReadsItsTargetTypesAndTheRecordItCreates() {
        WorkflowDefinition d = XamlParser.parse(sample("create-task.xaml"));
        Step.CreateEntity create = steps(d, Step.CreateEntity.class).get(0);
        assertEquals("CreateStep1", create.displayName());
        assertEquals("task", create.entityName());
        assertEquals(new Expr.Call(new Expr.Name("CreatedEntities"), List.of(new Expr.Literal("CreateStep1_localParameter#Temp"))), create.entity());
        List<Step.SetEntityProperty> sets = steps(d, Step.SetEntityProperty.class);
        assertEquals(List.of("subject", "regardingobjectid", "prioritycode"), sets.stream().map(Step.SetEntityProperty::attribute).toList());
        assertEquals(List.of("x:String", "mxs:EntityReference", "mxs:OptionSetValue"), sets.stream().map(Step.SetEntityProperty::targetType).toList());
        // a condition's field read has no target type (the designer writes x:Null)
        assertNull(steps(XamlParser.parse(sample("credit-check.xaml")), Step.GetEntityProperty.class).get(0).targetType());
    }

    @Test
    void setStateAndAssignReadTheirOptionValuesAndOwner() {
        WorkflowDefinition d = XamlParser.parse(sample("retire-temporary.xaml"));
        Step.SetState st = steps(d, Step.SetState.class).get(0);
        assertEquals("SetStateStep3", st.displayName());
        assertEquals(1, st.state());
        assertEquals(2, st.status());
        Step.AssignEntity assign = steps(d, Step.AssignEntity.class).get(0);
        assertEquals("account", assign.entityName());
        assertInstanceOf(Expr.Call.class, assign.owner());
        assertEquals("Or", steps(d, Step.EvaluateLogicalCondition.class).get(0).operator());
        assertEquals(List.of("BeginsWith", "In"), steps(d, Step.EvaluateCondition.class).stream().map(Step.EvaluateCondition::operator).toList());
    }

    @Test
    void setStateWrittenDirectlyUnderTheWorkflowAsTheDesignerDoes() {
        WorkflowDefinition d = XamlParser.parse(workflow("<mxswa:SetState DisplayName=\"SetStateStep1\" Entity=\"[InputEntities(&quot;primaryEntity&quot;)]\" "
                + "EntityId=\"[InputEntities(&quot;primaryEntity&quot;).Id]\" EntityName=\"task\">"
                + "<mxswa:SetState.State><InArgument x:TypeArguments=\"mxs:OptionSetValue\"><mxswa:ReferenceLiteral x:TypeArguments=\"mxs:OptionSetValue\">"
                + "<mxs:OptionSetValue ExtensionData=\"{x:Null}\" Value=\"2\" /></mxswa:ReferenceLiteral></InArgument></mxswa:SetState.State>"
                + "<mxswa:SetState.Status><InArgument x:TypeArguments=\"mxs:OptionSetValue\"><mxswa:ReferenceLiteral x:TypeArguments=\"mxs:OptionSetValue\">"
                + "<mxs:OptionSetValue ExtensionData=\"{x:Null}\" Value=\"6\" /></mxswa:ReferenceLiteral></InArgument></mxswa:SetState.Status>"
                + "</mxswa:SetState>"));
        assertEquals(List.of(new Step.SetState("SetStateStep1", new Expr.Call(new Expr.Name("InputEntities"), List.of(new Expr.Literal("primaryEntity"))),
                "task", 2, 6)), d.body().children());
    }

    @Test
    void aSetStateWithoutItsStatusIsRefused() {
        XamlException e = assertThrows(XamlException.class, () -> XamlParser.parse(workflow(
                "<mxswa:SetState DisplayName=\"SetStateStep1\" Entity=\"[InputEntities(&quot;primaryEntity&quot;)]\" EntityName=\"task\">"
                        + "<mxswa:SetState.State><InArgument x:TypeArguments=\"mxs:OptionSetValue\"><mxswa:ReferenceLiteral x:TypeArguments=\"mxs:OptionSetValue\">"
                        + "<mxs:OptionSetValue Value=\"1\" /></mxswa:ReferenceLiteral></InArgument></mxswa:SetState.State></mxswa:SetState>")));
        assertTrue(e.getMessage().contains("SetState.Status"), e.getMessage());
    }

    @Test
    void aWaitConditionIsAWaitAndKeepsTheWorkflowOutOfRealTime() {
        WorkflowDefinition d = XamlParser.parse(sample("wait-for-credit-hold.xaml"));
        Step.ConditionSequence wait = steps(d, Step.ConditionSequence.class).get(0);
        assertTrue(wait.waits());
        assertEquals("a wait condition (WaitStep1: until on hold)", d.realTimeObstacle());
        assertNull(XamlParser.parse(sample("credit-check.xaml")).realTimeObstacle());
    }

    @Test
    void aDelayIsAPostponeWithItsDurationAndKeepsTheWorkflowOutOfRealTime() {
        WorkflowDefinition d = XamlParser.parse(workflow("<Sequence DisplayName=\"WaitStep1\"><Sequence.Variables>"
                + "<Variable x:TypeArguments=\"mxsw:XrmTimeSpan\" Name=\"Delay\"><Variable.Default><Literal x:TypeArguments=\"mxsw:XrmTimeSpan\">"
                + "<mxsw:XrmTimeSpan Days=\"2\" Hours=\"3\" Minutes=\"0\" Months=\"1\" Years=\"0\" /></Literal></Variable.Default></Variable>"
                + "</Sequence.Variables><mxswa:Postpone BlockExecution=\"False\" PostponeUntil=\"[Delay.Add(DateTime.UtcNow)]\" /></Sequence>"));
        Step.Block seq = (Step.Block) d.body().children().get(0);
        assertEquals(new Expr.Literal(new XrmTimeSpan(0, 1, 2, 3, 0)), seq.variables().get(0).defaultValue());
        Step.Postpone p = (Step.Postpone) seq.children().get(0);
        assertEquals(new Expr.Call(new Expr.Member(new Expr.Name("Delay"), "Add"), List.of(new Expr.Member(new Expr.Name("DateTime"), "UtcNow"))), p.until());
        assertEquals("a timeout or delay", d.realTimeObstacle());
    }

    @Test
    void anActionDeclaresItsTargetInputsAndOutputs() {
        WorkflowDefinition d = XamlParser.parse(sample("action-discount.xaml"));
        assertEquals(List.of(
                new WorkflowDefinition.Argument("Target", "mxs:EntityReference", false, true, true),
                new WorkflowDefinition.Argument("Percent", "x:Decimal", false, true, false),
                new WorkflowDefinition.Argument("Message", "x:String", true, false, false)), d.arguments());
        assertTrue(steps(d, Step.EvaluateExpression.class).stream().anyMatch(e -> e.operator().equals("CustomOperationArguments")));
        // the output argument is assigned like a variable
        assertTrue(steps(d, Step.Assign.class).stream().anyMatch(a -> a.to().equals(new Expr.Name("Message"))));
    }

    @Test
    void aCustomActivityKeepsItsClassNameAndItsKeyedArguments() {
        WorkflowDefinition d = XamlParser.parse(sample("custom-activity.xaml"));
        Step.CustomActivity c = steps(d, Step.CustomActivity.class).get(0);
        assertEquals("Contoso.Workflows.NotifyErp", c.typeName());
        assertEquals("CustomActivityStep1: notify the ERP", c.displayName());
        assertEquals(List.of("AccountName"), List.copyOf(c.inputs().keySet()));
        assertEquals(List.of("ErpNumber"), List.copyOf(c.outputs().keySet()));
        assertEquals(new Expr.Name("CustomActivityStep1ErpNumber_localParameter"), c.outputs().get("ErpNumber"));
        assertEquals(1, steps(d, Step.ConvertTypes.class).size());
    }

    @Test
    void aChildWorkflowStepNamesTheWorkflowAndTheRecord() {
        WorkflowDefinition d = XamlParser.parse(sample("start-child.xaml"));
        Step.StartChildWorkflow c = steps(d, Step.StartChildWorkflow.class).get(0);
        assertEquals("00000000-0000-0000-0000-00000000c4d1", c.workflowId());
        assertEquals("account", c.entityName());
        assertEquals(new Expr.Member(new Expr.Call(new Expr.Name("InputEntities"), List.of(new Expr.Literal("primaryEntity"))), "Id"), c.entityId());
        // its input dictionary is a variable defaulting to a new Dictionary
        Step.Block seq = (Step.Block) d.body().children().get(0);
        assertEquals(new Expr.New("Dictionary", List.of(), List.of()), seq.variables().get(0).defaultValue());
    }

    @Test
    void xamlAsTheApiReturnsItWithAUtf16DeclarationIsRead() {
        WorkflowDefinition d = XamlParser.parse("<?xml version=\"1.0\" encoding=\"utf-16\"?>\n" + sample("set-description.xaml"));
        assertEquals(1, steps(d, Step.UpdateEntity.class).size());
    }

    @Test
    void anEmptyBodyIsAWorkflowWithoutSteps() {
        WorkflowDefinition d = XamlParser.parse("<Activity " + NS + "><mxswa:Workflow /></Activity>");
        assertEquals(List.of(), d.body().children());
        assertEquals(List.of(), d.arguments());
    }

    @Test
    void anUnknownPlatformActivityIsRefusedByName() {
        XamlException e = assertThrows(XamlException.class, () -> XamlParser.parse(sample("unknown-activity.xaml")));
        assertTrue(e.getMessage().contains("unsupported workflow step 'Microsoft.Crm.Workflow.Activities.Frobnicate' (FrobnicateStep1)"), e.getMessage());
    }

    @Test
    void anUnknownElementAndABusinessRuleActivityAreRefusedByName() {
        XamlException e = assertThrows(XamlException.class, () -> XamlParser.parse(workflow("<Parallel DisplayName=\"Both\" />")));
        assertTrue(e.getMessage().contains("'Parallel' (Both)"), e.getMessage());
        XamlException rule = assertThrows(XamlException.class, () -> XamlParser.parse(workflow(
                "<mcwc:SetVisibility xmlns:mcwc=\"clr-namespace:Microsoft.Crm.Workflow.ClientActivities;assembly=Microsoft.Crm.Workflow\" DisplayName=\"SetVisibilityStep1\" />")));
        assertTrue(rule.getMessage().contains("'SetVisibility'"), rule.getMessage());
    }

    @Test
    void malformedXmlEmptyXamlAndAnotherRootAreRefused() {
        assertEquals("XAML for workflow is NULL or Empty", assertThrows(XamlException.class, () -> XamlParser.parse("  ")).getMessage());
        assertEquals("XAML for workflow is NULL or Empty", assertThrows(XamlException.class, () -> XamlParser.parse(null)).getMessage());
        XamlException broken = assertThrows(XamlException.class, () -> XamlParser.parse("<Activity " + NS + "><mxswa:Workflow></Activity>"));
        assertTrue(broken.getMessage().startsWith("Xaml representing workflow cannot be deserialized into a DynamicActivity"), broken.getMessage());
        XamlException root = assertThrows(XamlException.class, () -> XamlParser.parse("<Sequence " + NS + " />"));
        assertEquals("The XAML root must be an Activity, not Sequence", root.getMessage());
    }

    @Test
    void aDoctypeIsRefusedSoNoExternalEntityIsEverRead() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Activity [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>"
                + workflow("<Assign To=\"[x]\" Value=\"[&quot;&secret;&quot;]\" />");
        XamlException e = assertThrows(XamlException.class, () -> XamlParser.parse(xxe));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertFalse(e.getMessage().contains("root:"), "nothing of the file is read");
    }

    @Test
    void aBrokenExpressionInAStepIsRefusedWithTheExpression() {
        XamlException e = assertThrows(XamlException.class, () -> XamlParser.parse(workflow("<Assign To=\"[x]\" Value=\"[InputEntities(&quot;primaryEntity&quot;]\" />")));
        assertTrue(e.getMessage().contains("[InputEntities(\"primaryEntity\"]"), e.getMessage());
    }

    @Test
    void anActivityReferenceWithoutItsArgumentsIsAnErrorNotANullPointer() {
        // a ConditionSequence whose Wait argument is missing reads as a check; one without activities has none
        WorkflowDefinition d = XamlParser.parse(workflow("<mxswa:ActivityReference AssemblyQualifiedName=\"" + PLATFORM.formatted("ConditionSequence")
                + "\" DisplayName=\"ConditionStep1\" />"));
        Step.ConditionSequence c = (Step.ConditionSequence) d.body().children().get(0);
        assertFalse(c.waits());
        assertEquals(List.of(), c.activities());
    }
    private static String activity(String cls, String arguments) {
        return "<mxswa:ActivityReference AssemblyQualifiedName=\"" + PLATFORM.formatted(cls) + "\" DisplayName=\"" + cls + "\">"
                + "<mxswa:ActivityReference.Arguments>" + arguments + "</mxswa:ActivityReference.Arguments></mxswa:ActivityReference>";
    }

    @Test
    void malformedNumbersAreRefusedAsXamlNotThrownAsAFault() {
        // activation turns a XamlException into a 400; anything else would be a 500
        String timeSpan = "<Sequence><Sequence.Variables><Variable x:TypeArguments=\"mxsw:XrmTimeSpan\" Name=\"D\"><Variable.Default>"
                + "<Literal x:TypeArguments=\"mxsw:XrmTimeSpan\"><mxsw:XrmTimeSpan Days=\"two\" /></Literal></Variable.Default></Variable>"
                + "</Sequence.Variables></Sequence>";
        XamlException days = assertThrows(XamlException.class, () -> XamlParser.parse(workflow(timeSpan)));
        assertTrue(days.getMessage().contains("two"), days.getMessage());
        String state = "<mxswa:SetState DisplayName=\"SetStateStep1\" Entity=\"[InputEntities(&quot;primaryEntity&quot;)]\" EntityName=\"task\">"
                + "<mxswa:SetState.State><InArgument x:TypeArguments=\"mxs:OptionSetValue\"><mxswa:ReferenceLiteral x:TypeArguments=\"mxs:OptionSetValue\">"
                + "<mxs:OptionSetValue Value=\"closed\" /></mxswa:ReferenceLiteral></InArgument></mxswa:SetState.State></mxswa:SetState>";
        XamlException option = assertThrows(XamlException.class, () -> XamlParser.parse(workflow(state)));
        assertTrue(option.getMessage().contains("closed"), option.getMessage());
        assertThrows(XamlException.class, () -> XamlParser.parse(workflow("<Assign To=\"[x]\" Value=\"[99999999999999999999]\" />")));
        assertThrows(XamlException.class, () -> XamlParser.parse(workflow("<Assign To=\"[x]\" Value=\"[1.2.3]\" />")));
    }

    @Test
    void anArgumentWhoseTypeIsCutShortIsRefused() {
        String xaml = "<Activity " + NS + "><x:Members><x:Property Name=\"Percent\" Type=\"InArgument(x:Decimal\" /></x:Members><mxswa:Workflow /></Activity>";
        XamlException e = assertThrows(XamlException.class, () -> XamlParser.parse(xaml));
        assertTrue(e.getMessage().contains("Percent"), e.getMessage());
    }

    @Test
    void anOperatorTheEngineCannotEvaluateIsRefusedAtActivationNotWhenTheWorkflowRuns() {
        XamlException condition = assertThrows(XamlException.class, () -> XamlParser.parse(workflow(activity("EvaluateCondition",
                "<InArgument x:TypeArguments=\"x:String\" x:Key=\"ConditionOperator\">OnOrAfter</InArgument>"
                        + "<InArgument x:TypeArguments=\"x:Object\" x:Key=\"Operand\">[x]</InArgument>"
                        + "<OutArgument x:TypeArguments=\"x:Boolean\" x:Key=\"Result\">[y]</OutArgument>"))));
        assertTrue(condition.getMessage().contains("OnOrAfter"), condition.getMessage());
        XamlException expression = assertThrows(XamlException.class, () -> XamlParser.parse(workflow(activity("EvaluateExpression",
                "<InArgument x:TypeArguments=\"x:String\" x:Key=\"ExpressionOperator\">DiffInDays</InArgument>"
                        + "<OutArgument x:TypeArguments=\"x:Object\" x:Key=\"Result\">[y]</OutArgument>"))));
        assertTrue(expression.getMessage().contains("DiffInDays"), expression.getMessage());
        XamlException logical = assertThrows(XamlException.class, () -> XamlParser.parse(workflow(activity("EvaluateLogicalCondition",
                "<InArgument x:TypeArguments=\"x:String\" x:Key=\"LogicalOperator\">Xor</InArgument>"
                        + "<OutArgument x:TypeArguments=\"x:Boolean\" x:Key=\"Result\">[y]</OutArgument>"))));
        assertTrue(logical.getMessage().contains("Xor"), logical.getMessage());
    }
}
