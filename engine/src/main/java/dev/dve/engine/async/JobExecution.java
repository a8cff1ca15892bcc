package dev.dve.engine.async;

import dev.dve.record.Entity;

import java.time.Instant;
import java.util.UUID;

/** What a handler may do with the job it runs; it never sees the queue or the store behind it. */
public interface JobExecution {
    /** The job's row as it was claimed. */
    Entity job();

    /** The emulator clock's time. */
    Instant now();

    /** The checkpoint a resumed, retried or taken-over job continues from, or null on a first run. */
    String checkpoint();

    /**
     * Saves the run's progress in the transaction open on this thread (the one of the step it follows), after
     * checking, with its lease row locked until that transaction ends, that this run still holds the job (else
     * {@link JobInterrupted}). Pause and cancel requests are {@link #checkStillWanted}'s, before a step.
     */
    void saveCheckpoint(String checkpoint);

    /** Throws {@link JobInterrupted} when a person asked the job to pause or cancel, or this node lost it. */
    void checkStillWanted();

    /** Cancels, in one statement, the queued jobs of a workflow activation that is no longer active; answers how many. */
    int cancelQueuedOf(UUID activation);
}
