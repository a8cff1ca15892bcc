package dev.dve.engine.async;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.dve.engine.async.JobStatus.CANCELED;
import static dev.dve.engine.async.JobStatus.CANCELING;
import static dev.dve.engine.async.JobStatus.FAILED;
import static dev.dve.engine.async.JobStatus.IN_PROGRESS;
import static dev.dve.engine.async.JobStatus.PAUSING;
import static dev.dve.engine.async.JobStatus.SUCCEEDED;
import static dev.dve.engine.async.JobStatus.WAITING;
import static dev.dve.engine.async.JobStatus.WAITING_FOR_RESOURCES;

/**
 * Every move a system job may make, in one table (spec §3 "States" and "User actions"), checked in one place: the
 * worker's moves (claim, finish, wait, retry, suspend) and a person's (cancel, pause, postpone, resume). A move not
 * in the table is refused; nobody writes a job's state without asking here first.
 */
public final class JobTransitions {
    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

    static {
        // Ready: a worker claims it; a person cancels or postpones it
        ALLOWED.put(WAITING_FOR_RESOURCES, EnumSet.of(IN_PROGRESS, CANCELED, WAITING));
        // Suspended / Waiting: it wakes (by time, or a person resumes it) or is canceled; a worker claims a woken one directly
        ALLOWED.put(WAITING, EnumSet.of(WAITING_FOR_RESOURCES, IN_PROGRESS, CANCELED, WAITING));
        // In progress: the worker ends it, parks it (wait, retry, suspend) or hands it back (lease lost); a person asks it to
        // pause, postpone or cancel, which it honours at its next step boundary
        ALLOWED.put(IN_PROGRESS, EnumSet.of(SUCCEEDED, FAILED, CANCELED, WAITING, WAITING_FOR_RESOURCES, PAUSING, CANCELING));
        // a pending request survives a take-over: Pausing ends Suspended, Canceling ends Canceled, never back to Ready
        ALLOWED.put(PAUSING, EnumSet.of(WAITING, SUCCEEDED, FAILED, CANCELED, CANCELING));
        ALLOWED.put(CANCELING, EnumSet.of(CANCELED, SUCCEEDED, FAILED));
        // Completed is final
        ALLOWED.put(SUCCEEDED, EnumSet.noneOf(JobStatus.class));
        ALLOWED.put(FAILED, EnumSet.noneOf(JobStatus.class));
        ALLOWED.put(CANCELED, EnumSet.noneOf(JobStatus.class));
    }

    private JobTransitions() {
    }

    public static boolean allowed(JobStatus from, JobStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** What a person asked for through {@code PATCH asyncoperations(id)} or the console. */
    public enum UserAction { CANCEL, PAUSE, POSTPONE, RESUME }

    /**
     * Where a person's action takes a job in {@code from}, or null when Dataverse refuses it: a running job passes
     * through Pausing / Canceling (its worker completes the move); a waiting or ready one moves at once.
     */
    public static JobStatus target(JobStatus from, UserAction action) {
        JobStatus to = switch (action) {
            case CANCEL -> switch (from) {
                case WAITING_FOR_RESOURCES, WAITING -> CANCELED;
                case IN_PROGRESS, PAUSING -> CANCELING;
                default -> null;
            };
            case PAUSE -> from == IN_PROGRESS ? PAUSING : null;
            case POSTPONE -> switch (from) {
                case WAITING_FOR_RESOURCES -> WAITING;
                case IN_PROGRESS -> PAUSING;
                default -> null;
            };
            case RESUME -> from == WAITING ? WAITING_FOR_RESOURCES : null;
        };
        return to != null && allowed(from, to) ? to : null;
    }
}
