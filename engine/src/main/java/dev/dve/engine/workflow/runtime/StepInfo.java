package dev.dve.engine.workflow.runtime;

/**
 * A step as the host sees it when the step completes or waits: its designer name ({@code CreateStep1: follow up};
 * the kind when the designer gave none), its kind ({@code CreateEntity}, {@code UpdateEntity}, {@code SendEmail},
 * {@code AssignEntity}, {@code SetState}, {@code StartChildWorkflow}, {@code CustomActivity}, {@code Postpone},
 * {@code Wait}) and its position in the step tree ({@code 0.3.1}), which names it uniquely within one definition.
 */
public record StepInfo(String name, String kind, String path) {
    static StepInfo of(String displayName, String kind, StepPath at) {
        return new StepInfo(displayName == null || displayName.isBlank() ? kind : displayName, kind, at.toString());
    }
}
