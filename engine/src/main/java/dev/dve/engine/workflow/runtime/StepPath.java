package dev.dve.engine.workflow.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a step sits in the step tree: the child index taken at each level from the workflow body down. A Block
 * or ConditionSequence numbers its children in order; an If or ConditionBranch numbers Then 0 and Else 1, so a
 * path also records which way every condition on the way went. The body itself is the empty path.
 */
record StepPath(List<Integer> indexes) {
    static final StepPath BODY = new StepPath(List.of());

    StepPath {
        indexes = List.copyOf(indexes);
    }

    StepPath child(int index) {
        List<Integer> out = new ArrayList<>(indexes);
        out.add(index);
        return new StepPath(out);
    }

    int depth() {
        return indexes.size();
    }

    int index(int level) {
        return indexes.get(level);
    }

    /** Whether this path is an ancestor of {@code other} (and not {@code other} itself). */
    boolean encloses(StepPath other) {
        return other.depth() > depth() && other.indexes.subList(0, depth()).equals(indexes);
    }

    static StepPath parse(String text) {
        List<Integer> out = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String part : text.split("\\.", -1)) {
                out.add(Integer.parseInt(part));
            }
        }
        return new StepPath(out);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Integer i : indexes) {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append(i);
        }
        return b.toString();
    }
}
