package dev.dve.engine.organization;

import dev.dve.auth.CallerContext;
import dev.dve.metadata.EntityMetadata;
import dev.dve.record.Entity;

import java.util.List;

/**
 * Several participants of the event pipeline (the workflow engine, webhook steps …) sharing each stage: every one
 * runs, in the given order, inside the operation's transaction. A participant that throws stops the ones after it and
 * rolls the operation back, so what an earlier one queued is undone with it.
 */
public record SequentialPipeline(List<EventPipeline> participants) implements EventPipeline {
    public SequentialPipeline {
        participants = List.copyOf(participants);
    }

    public static SequentialPipeline of(EventPipeline... participants) {
        return new SequentialPipeline(List.of(participants));
    }

    @Override
    public void preOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        for (EventPipeline p : participants) {
            p.preOperation(message, caller, entity, existing, target);
        }
    }

    @Override
    public void postOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        for (EventPipeline p : participants) {
            p.postOperation(message, caller, entity, existing, target);
        }
    }
}
