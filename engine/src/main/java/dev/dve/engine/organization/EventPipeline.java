package dev.dve.engine.organization;

import dev.dve.auth.CallerContext;
import dev.dve.metadata.EntityMetadata;
import dev.dve.record.Entity;

/**
 * The stages of Dataverse's event pipeline around the core operation, all inside the operation's transaction.
 * Pre-operation handlers may change the values being written; post-operation handlers see the written row.
 * Whatever a handler throws aborts the operation and rolls everything back.
 */
public interface EventPipeline {
    /** The message being processed, as a workflow trigger names it. */
    enum Message { CREATE, UPDATE, DELETE }

    /**
     * @param message  the operation
     * @param existing the row before the operation (null for create)
     * @param target   the values being written (create, update) or the row being deleted; mutable before the core operation
     */
    void preOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target);

    void postOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target);

    EventPipeline NONE = new EventPipeline() {
        @Override
        public void preOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        }

        @Override
        public void postOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        }
    };
}
