package dev.dve.engine.workflow.xaml;

import java.util.ArrayList;
import java.util.List;

/** A parsed workflow: its body and the facts activation validates (waits, custom activities). */
public record WorkflowDefinition(Step.Block body, List<Argument> arguments) {

    /**
     * An argument declared in {@code x:Members} (actions and custom arguments): its name, its XAML type
     * ({@code x:String}, {@code mxs:Money} …), whether it is an output, whether it is required, and whether it is
     * the action's Target.
     */
    public record Argument(String name, String type, boolean output, boolean required, boolean target) {
    }

    /** Every step, depth first. */
    public List<Step> allSteps() {
        List<Step> out = new ArrayList<>();
        collect(body, out);
        return out;
    }

    private static void collect(Step s, List<Step> out) {
        if (s == null) {
            return;
        }
        out.add(s);
        if (s instanceof Step.Block b) {
            b.children().forEach(c -> collect(c, out));
        } else if (s instanceof Step.ConditionSequence c) {
            c.activities().forEach(a -> collect(a, out));
        } else if (s instanceof Step.ConditionBranch b) {
            collect(b.then(), out);
            collect(b.otherwise(), out);
        } else if (s instanceof Step.If i) {
            collect(i.then(), out);
            collect(i.otherwise(), out);
        }
    }

    /** The reason a real-time workflow may not contain this, or null: waits, timeouts and delays. */
    public String realTimeObstacle() {
        for (Step s : allSteps()) {
            if (s instanceof Step.ConditionSequence c && c.waits()) {
                return "a wait condition (" + c.displayName() + ")";
            }
            if (s instanceof Step.Postpone) {
                return "a timeout or delay";
            }
            if (s instanceof Step.ConditionBranch b && b.displayName() != null && b.displayName().startsWith("WaitTimeoutStep")) {
                return "a timeout (" + b.displayName() + ")";
            }
            if (s instanceof Step.EvaluateExpression e && "RetrieveLastExecutionTime".equals(e.operator())) {
                return "a timeout";
            }
        }
        return null;
    }
}
