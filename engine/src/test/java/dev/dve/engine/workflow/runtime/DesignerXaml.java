package dev.dve.engine.workflow.runtime;

import dev.dve.engine.workflow.xaml.WorkflowDefinition;
import dev.dve.engine.workflow.xaml.XamlParser;

/**
 * Small pieces of XAML in the shape the process designer writes (see {@code fixtures/.../samples/workflows}), so a
 * test reads as the steps of its workflow. VB expressions are written as they appear between the brackets.
 */
final class DesignerXaml {
    private static final String AR = "Microsoft.Crm.Workflow.Activities.%s, Microsoft.Crm.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35";

    private DesignerXaml() {
    }

    static WorkflowDefinition parse(String... steps) {
        return XamlParser.parse("""
                <Activity x:Class="XrmWorkflow00000000000000000000000000000000" xmlns="http://schemas.microsoft.com/netfx/2009/xaml/activities" \
                xmlns:mxs="clr-namespace:Microsoft.Xrm.Sdk;assembly=Microsoft.Xrm.Sdk, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" \
                xmlns:mxsq="clr-namespace:Microsoft.Xrm.Sdk.Query;assembly=Microsoft.Xrm.Sdk, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" \
                xmlns:mxsw="clr-namespace:Microsoft.Xrm.Sdk.Workflow;assembly=Microsoft.Xrm.Sdk.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" \
                xmlns:mxswa="clr-namespace:Microsoft.Xrm.Sdk.Workflow.Activities;assembly=Microsoft.Xrm.Sdk.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" \
                xmlns:s="clr-namespace:System;assembly=mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089" \
                xmlns:scg="clr-namespace:System.Collections.Generic;assembly=mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089" \
                xmlns:sco="clr-namespace:System.Collections.ObjectModel;assembly=mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089" \
                xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml">
                  <x:Members>
                    <x:Property Name="InputEntities" Type="InArgument(scg:IDictionary(x:String, mxs:Entity))" />
                    <x:Property Name="CreatedEntities" Type="InArgument(scg:IDictionary(x:String, mxs:Entity))" />
                  </x:Members>
                  <mxswa:Workflow>
                """ + String.join("\n", steps) + """
                  </mxswa:Workflow>
                </Activity>
                """);
    }

    /** A Sequence with object variables (no default) and its steps. */
    static String sequence(String displayName, String variables, String... steps) {
        StringBuilder b = new StringBuilder("<Sequence DisplayName=\"" + displayName + "\">\n<Sequence.Variables>\n");
        for (String v : variables.isBlank() ? new String[0] : variables.split(",")) {
            b.append("<Variable x:TypeArguments=\"x:Object\" Name=\"").append(v.trim()).append("\" />\n");
        }
        b.append("</Sequence.Variables>\n");
        for (String s : steps) {
            b.append(s).append('\n');
        }
        return b.append("</Sequence>").toString();
    }

    /** A Sequence with a variable holding a designer duration, and object variables. */
    static String sequenceWithTimeSpan(String displayName, String variable, int days, String variables, String... steps) {
        StringBuilder b = new StringBuilder("<Sequence DisplayName=\"" + displayName + "\">\n<Sequence.Variables>\n");
        b.append(timeSpanVariable(variable, days));
        for (String v : variables.isBlank() ? new String[0] : variables.split(",")) {
            b.append("<Variable x:TypeArguments=\"x:Object\" Name=\"").append(v.trim()).append("\" />\n");
        }
        b.append("</Sequence.Variables>\n");
        for (String s : steps) {
            b.append(s).append('\n');
        }
        return b.append("</Sequence>").toString();
    }

    private static String timeSpanVariable(String name, int days) {
        return "<Variable x:TypeArguments=\"mxsw:XrmTimeSpan\" Name=\"" + name + "\"><Variable.Default><Literal x:TypeArguments=\"mxsw:XrmTimeSpan\">"
                + "<mxsw:XrmTimeSpan Days=\"" + days + "\" Hours=\"0\" Minutes=\"0\" Months=\"0\" Years=\"0\" /></Literal></Variable.Default></Variable>\n";
    }

    static String assign(String to, String value) {
        return "<Assign To=\"[" + attr(to) + "]\" Value=\"[" + attr(value) + "]\" />";
    }

    static String getProperty(String attribute, String entityExpr, String entityName, String into) {
        return "<mxswa:GetEntityProperty Attribute=\"" + attribute + "\" Entity=\"[" + attr(entityExpr) + "]\" EntityName=\"" + entityName
                + "\" Value=\"[" + into + "]\" />";
    }

    static String setProperty(String attribute, String entityExpr, String entityName, String value) {
        return "<mxswa:SetEntityProperty Attribute=\"" + attribute + "\" Entity=\"[" + attr(entityExpr) + "]\" EntityName=\"" + entityName
                + "\" Value=\"[" + attr(value) + "]\" />";
    }

    /** The designer's Create step: a temporary record, its fields, CreateEntity, then the record under the step's name. */
    static String create(String step, String entityName, String... fieldsAndValues) {
        String temp = "CreatedEntities(\"" + step + "_localParameter#Temp\")";
        String[] steps = new String[fieldsAndValues.length / 2 + 3];
        steps[0] = assign(temp, "New Entity(\"" + entityName + "\")");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            steps[1 + i / 2] = setProperty(fieldsAndValues[i], temp, entityName, fieldsAndValues[i + 1]);
        }
        steps[steps.length - 2] = "<mxswa:CreateEntity EntityId=\"{x:Null}\" DisplayName=\"" + step + "\" Entity=\"[" + attr(temp) + "]\" EntityName=\"" + entityName + "\" />";
        steps[steps.length - 1] = assign("CreatedEntities(\"" + step + "_localParameter\")", temp);
        return sequence(step, "", steps);
    }

    /** The designer's Update step on the primary record. */
    static String updatePrimary(String step, String entityName, String... fieldsAndValues) {
        String temp = "CreatedEntities(\"primaryEntity#Temp\")";
        String[] steps = new String[fieldsAndValues.length / 2 + 4];
        steps[0] = assign(temp, "New Entity(\"" + entityName + "\")");
        steps[1] = assign(temp + ".Id", "InputEntities(\"primaryEntity\").Id");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            steps[2 + i / 2] = setProperty(fieldsAndValues[i], temp, entityName, fieldsAndValues[i + 1]);
        }
        steps[steps.length - 2] = "<mxswa:UpdateEntity DisplayName=\"" + step + "\" Entity=\"[" + attr(temp) + "]\" EntityName=\"" + entityName + "\" />";
        steps[steps.length - 1] = assign("InputEntities(\"primaryEntity\")", temp);
        return sequence(step, "", steps);
    }

    /** A custom code activity with one input and one output argument. */
    static String customActivity(String displayName, String typeName, String input, String inputValue, String output, String into) {
        return "<mxswa:ActivityReference AssemblyQualifiedName=\"" + typeName + ", Contoso.Workflows, Version=1.0.0.0, Culture=neutral, PublicKeyToken=abcdef0123456789\" DisplayName=\"" + displayName + "\">"
                + "<mxswa:ActivityReference.Arguments>"
                + "<InArgument x:TypeArguments=\"x:String\" x:Key=\"" + input + "\">[" + text(inputValue) + "]</InArgument>"
                + "<OutArgument x:TypeArguments=\"x:String\" x:Key=\"" + output + "\">[" + into + "]</OutArgument>"
                + "</mxswa:ActivityReference.Arguments></mxswa:ActivityReference>";
    }

    /** A workflow-activities If: one step for Then, one for Else. */
    static String ifElse(String condition, String then, String otherwise) {
        return "<If Condition=\"[" + attr(condition) + "]\"><If.Then>" + then + "</If.Then><If.Else>" + otherwise + "</If.Else></If>";
    }

    static String postpone(String until) {
        return "<mxswa:Postpone BlockExecution=\"False\" PostponeUntil=\"[" + attr(until) + "]\" />";
    }

    static String evaluateExpression(String operator, String parameters, String result) {
        return "<mxswa:ActivityReference AssemblyQualifiedName=\"" + AR.formatted("EvaluateExpression") + "\" DisplayName=\"EvaluateExpression\">"
                + "<mxswa:ActivityReference.Arguments>"
                + "<InArgument x:TypeArguments=\"x:String\" x:Key=\"ExpressionOperator\">" + operator + "</InArgument>"
                + "<InArgument x:TypeArguments=\"s:Object[]\" x:Key=\"Parameters\">[" + text(parameters) + "]</InArgument>"
                + "<x:Null x:Key=\"TargetType\" />"
                + "<OutArgument x:TypeArguments=\"x:Object\" x:Key=\"Result\">[" + result + "]</OutArgument>"
                + "</mxswa:ActivityReference.Arguments></mxswa:ActivityReference>";
    }

    static String evaluateCondition(String operator, String operand, String parameters, String result) {
        return "<mxswa:ActivityReference AssemblyQualifiedName=\"" + AR.formatted("EvaluateCondition") + "\" DisplayName=\"EvaluateCondition\">"
                + "<mxswa:ActivityReference.Arguments>"
                + "<InArgument x:TypeArguments=\"mxsq:ConditionOperator\" x:Key=\"ConditionOperator\">" + operator + "</InArgument>"
                + "<InArgument x:TypeArguments=\"s:Object[]\" x:Key=\"Parameters\">[" + text(parameters) + "]</InArgument>"
                + "<InArgument x:TypeArguments=\"x:Object\" x:Key=\"Operand\">[" + text(operand) + "]</InArgument>"
                + "<OutArgument x:TypeArguments=\"x:Boolean\" x:Key=\"Result\">[" + result + "]</OutArgument>"
                + "</mxswa:ActivityReference.Arguments></mxswa:ActivityReference>";
    }

    /** A ConditionSequence (a check, or with {@code waits} a wait) with its boolean variables and activities. */
    static String conditionSequence(String displayName, boolean waits, String booleanVariables, String... activities) {
        StringBuilder b = new StringBuilder("<mxswa:ActivityReference AssemblyQualifiedName=\"" + AR.formatted("ConditionSequence") + "\" DisplayName=\"" + displayName + "\">"
                + "<mxswa:ActivityReference.Arguments><InArgument x:TypeArguments=\"x:Boolean\" x:Key=\"Wait\">[" + (waits ? "True" : "False") + "]</InArgument>"
                + "</mxswa:ActivityReference.Arguments><mxswa:ActivityReference.Properties>"
                + "<sco:Collection x:TypeArguments=\"Variable\" x:Key=\"Variables\">");
        for (String v : booleanVariables.isBlank() ? new String[0] : booleanVariables.split(",")) {
            b.append("<Variable x:TypeArguments=\"x:Boolean\" Default=\"False\" Name=\"").append(v.trim()).append("\" />");
        }
        b.append("</sco:Collection><sco:Collection x:TypeArguments=\"Activity\" x:Key=\"Activities\">\n");
        for (String a : activities) {
            b.append(a).append('\n');
        }
        return b.append("</sco:Collection><x:Boolean x:Key=\"ContainsElseBranch\">False</x:Boolean>"
                + "</mxswa:ActivityReference.Properties></mxswa:ActivityReference>").toString();
    }

    /** A ConditionBranch: Then is a Composite of {@code then}; {@code otherwise} is one step or null. */
    static String branch(String displayName, String condition, String otherwise, String... then) {
        StringBuilder b = new StringBuilder("<mxswa:ActivityReference AssemblyQualifiedName=\"" + AR.formatted("ConditionBranch") + "\" DisplayName=\"" + displayName + "\">"
                + "<mxswa:ActivityReference.Arguments><InArgument x:TypeArguments=\"x:Boolean\" x:Key=\"Condition\">[" + text(condition) + "]</InArgument>"
                + "</mxswa:ActivityReference.Arguments><mxswa:ActivityReference.Properties>"
                + "<mxswa:ActivityReference AssemblyQualifiedName=\"" + AR.formatted("Composite") + "\" DisplayName=\"" + displayName + "\" x:Key=\"Then\">"
                + "<mxswa:ActivityReference.Properties><sco:Collection x:TypeArguments=\"Variable\" x:Key=\"Variables\" />"
                + "<sco:Collection x:TypeArguments=\"Activity\" x:Key=\"Activities\">\n");
        for (String s : then) {
            b.append(s).append('\n');
        }
        b.append("</sco:Collection></mxswa:ActivityReference.Properties></mxswa:ActivityReference>");
        if (otherwise == null) {
            b.append("<x:Null x:Key=\"Else\" />");
        } else {
            b.append(otherwise.replaceFirst("^<([\\w:]+)", "<$1 x:Key=\"Else\""));
        }
        return b.append("<x:Null x:Key=\"Description\" /></mxswa:ActivityReference.Properties></mxswa:ActivityReference>").toString();
    }

    static String evaluateLogical(String operator, String left, String right, String result) {
        return "<mxswa:ActivityReference AssemblyQualifiedName=\"" + AR.formatted("EvaluateLogicalCondition") + "\" DisplayName=\"EvaluateLogicalCondition\">"
                + "<mxswa:ActivityReference.Arguments>"
                + "<InArgument x:TypeArguments=\"mxsq:LogicalOperator\" x:Key=\"LogicalOperator\">" + operator + "</InArgument>"
                + "<InArgument x:TypeArguments=\"x:Boolean\" x:Key=\"LeftOperand\">[" + left + "]</InArgument>"
                + "<InArgument x:TypeArguments=\"x:Boolean\" x:Key=\"RightOperand\">[" + right + "]</InArgument>"
                + "<OutArgument x:TypeArguments=\"x:Boolean\" x:Key=\"Result\">[" + result + "]</OutArgument>"
                + "</mxswa:ActivityReference.Arguments></mxswa:ActivityReference>";
    }

    /** The designer's Change Status step on the primary record, written directly under the workflow. */
    static String setStatePrimary(String displayName, String entityName, int state, int status) {
        return "<mxswa:SetState DisplayName=\"" + displayName + "\" Entity=\"[InputEntities(&quot;primaryEntity&quot;)]\" "
                + "EntityId=\"[InputEntities(&quot;primaryEntity&quot;).Id]\" EntityName=\"" + entityName + "\">"
                + optionSet("SetState.State", state) + optionSet("SetState.Status", status) + "</mxswa:SetState>";
    }

    private static String optionSet(String property, int value) {
        return "<mxswa:" + property + "><InArgument x:TypeArguments=\"mxs:OptionSetValue\"><mxswa:ReferenceLiteral x:TypeArguments=\"mxs:OptionSetValue\">"
                + "<mxs:OptionSetValue ExtensionData=\"{x:Null}\" Value=\"" + value + "\" /></mxswa:ReferenceLiteral></InArgument></mxswa:" + property + ">";
    }

    /** The designer's Stop Workflow step: a text reason, then TerminateWorkflow with Canceled or Succeeded. */
    static String stop(String displayName, boolean canceled, String reason) {
        return sequence(displayName, displayName + "_1",
                evaluateExpression("CreateCrmType", "New Object() { Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.String, \"" + reason + "\", \"String\" }", displayName + "_1"),
                "<TerminateWorkflow DisplayName=\"" + displayName + "\" Exception=\"[New Microsoft.Xrm.Sdk.InvalidPluginExecutionException(Microsoft.Xrm.Sdk.OperationStatus."
                        + (canceled ? "Canceled" : "Succeeded") + ")]\" Reason=\"[DirectCast(" + displayName + "_1, System.String)]\" />");
    }

    /** The designer's Start Child Workflow step on the primary record. */
    static String startChild(String displayName, String entityName, String workflowId) {
        return "<Sequence DisplayName=\"" + displayName + "\"><Sequence.Variables>"
                + "<Variable x:TypeArguments=\"scg:Dictionary(x:String, x:Object)\" Default=\"[New Dictionary(Of System.String, System.Object)]\" Name=\"" + displayName + "_1\" />"
                + "</Sequence.Variables><mxswa:StartChildWorkflow DisplayName=\"" + displayName + "\" EntityId=\"[InputEntities(&quot;primaryEntity&quot;).Id]\" "
                + "EntityName=\"" + entityName + "\" InputParameters=\"[" + displayName + "_1]\" WorkflowId=\"" + workflowId + "\" /></Sequence>";
    }

    /** An expression as an attribute value. */
    private static String attr(String vb) {
        return text(vb).replace("\"", "&quot;");
    }

    /** An expression as element text. */
    private static String text(String vb) {
        return vb.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
