package dev.dve.engine.workflow.xaml;

import java.util.List;
import java.util.Map;

/** The engine's model of a workflow step, read from the designer's XAML. */
public sealed interface Step {
    /** A variable declared by a Sequence, Composite or the workflow, with its default value expression. */
    record Variable(String name, Expr defaultValue) {
    }

    /** Sequence / Composite / the workflow body: variables and children run in order. */
    record Block(String displayName, List<Variable> variables, List<Step> children) implements Step {
    }

    record Assign(Expr to, Expr value) implements Step {
    }

    record GetEntityProperty(String attribute, Expr entity, String entityName, Expr value, String targetType) implements Step {
    }

    record SetEntityProperty(String attribute, Expr entity, String entityName, Expr value, String targetType) implements Step {
    }

    record UpdateEntity(String displayName, Expr entity, String entityName) implements Step {
    }

    record CreateEntity(String displayName, Expr entity, String entityName) implements Step {
    }

    record SendEmail(String displayName, Expr entity) implements Step {
    }

    record RetrieveEntity(Expr entity, Expr entityId, String entityName) implements Step {
    }

    record AssignEntity(String displayName, Expr entity, String entityName, Expr owner) implements Step {
    }

    record SetState(String displayName, Expr entity, String entityName, int state, int status) implements Step {
    }

    record StartChildWorkflow(String displayName, Expr entityId, String entityName, String workflowId) implements Step {
    }

    record Terminate(String displayName, boolean canceled, Expr reason) implements Step {
    }

    record Postpone(Expr until) implements Step {
    }

    record Persist() implements Step {
    }

    record If(Expr condition, Step then, Step otherwise) implements Step {
    }

    /** ConditionSequence: an if / else-if chain; with {@code wait} a wait step. */
    record ConditionSequence(String displayName, boolean waits, List<Variable> variables, List<Step> activities) implements Step {
    }

    record ConditionBranch(String displayName, Expr condition, Step then, Step otherwise) implements Step {
    }

    record EvaluateCondition(String operator, Expr operand, Expr parameters, Expr result) implements Step {
        /** The condition operators the interpreter evaluates. */
        public static final java.util.Set<String> OPERATORS = java.util.Set.of("Equal", "NotEqual", "GreaterThan", "GreaterEqual",
                "LessThan", "LessEqual", "Null", "NotNull", "Contains", "DoesNotContain", "BeginsWith", "DoesNotBeginWith", "EndsWith",
                "DoesNotEndWith", "In", "NotIn", "Between", "NotBetween");
    }

    record EvaluateLogicalCondition(String operator, Expr left, Expr right, Expr result) implements Step {
        public static final java.util.Set<String> OPERATORS = java.util.Set.of("And", "Or");
    }

    record EvaluateExpression(String operator, Expr parameters, String targetType, Expr result) implements Step {
        /** The expression operators the interpreter evaluates. */
        public static final java.util.Set<String> OPERATORS = java.util.Set.of("CreateCrmType", "SelectFirstNonNull", "Add", "Concat", "Sum",
                "Subtract", "Multiply", "Divide", "RetrieveCurrentTime", "Now", "RetrieveLastExecutionTime", "CustomOperationArguments",
                "TrimLeft", "TrimRight");
    }

    record ConvertTypes(Expr value, Expr result) implements Step {
    }

    /** A custom code activity, run through the HTTP call-out registered for its type name. */
    record CustomActivity(String typeName, String displayName, Map<String, Expr> inputs, Map<String, Expr> outputs) implements Step {
    }
}
