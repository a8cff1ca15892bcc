package dev.dve.engine.async;

import dev.dve.auth.security.SecurityPrincipal;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.record.Entity;
import dev.dve.store.JobQueue;

import java.util.Set;

/**
 * What a person may do to a system job ({@code PATCH asyncoperations(id)} and the console): cancel, pause, postpone
 * or resume, by the moves of {@link JobTransitions}; only {@code statecode}, {@code statuscode} and
 * {@code postponeuntil} can be written, a job can be deleted only once completed, and only the platform creates jobs.
 * A request for a running job becomes Pausing or Canceling, which its worker completes at the next step boundary.
 */
public final class JobControl implements OrganizationService.UpdateRule {
    private static final Set<String> WRITABLE = Set.of("statecode", "statuscode", "postponeuntil");
    private static boolean job(EntityMetadata e) {
        return e.logicalName().equals("asyncoperation");
    }

    @Override
    public void beforeCreate(SecurityPrincipal principal, EntityMetadata entity, Entity row) {
        if (job(entity) && principal != null) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "System jobs are created by the platform; an asyncoperation cannot be created directly.");
        }
    }

    @Override
    public void beforeDelete(SecurityPrincipal principal, EntityMetadata entity, Entity existing) {
        if (job(entity) && !Integer.valueOf(JobStatus.COMPLETED).equals(existing.get("statecode"))) {
            throw new DataverseFault(ErrorCode.ASYNC_OPERATION_NOT_COMPLETED, "The system job cannot be deleted because it has not completed. "
                    + "Cancel it first, or wait until it completes.");
        }
    }

    @Override
    public void beforeUpdate(SecurityPrincipal principal, EntityMetadata entity, Entity existing, Entity changes) {
        if (!job(entity) || principal == null) {
            return;
        }
        for (String a : changes.attributes().keySet()) {
            if (!WRITABLE.contains(a) && !a.equals(entity.primaryIdAttribute())) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Only statecode, statuscode and postponeuntil of a system job can be changed; '"
                        + a + "' cannot.");
            }
        }
        JobStatus from = JobStatus.of((Integer) existing.get("statecode"), (Integer) existing.get("statuscode"))
                .orElseThrow(() -> new IllegalStateException("job " + existing.id() + " has no valid state"));
        JobTransitions.UserAction action = action(changes);
        JobStatus to = JobTransitions.target(from, action);
        if (to == null) {
            throw new DataverseFault(ErrorCode.INVALID_STATE_STATUS, "The system job cannot be moved from " + label(from) + " by a "
                    + action.name().toLowerCase(java.util.Locale.ROOT) + " request: " + (changes.get("statecode") == null ? "" : changes.get("statecode")
                    + "/" + (changes.get("statuscode") == null ? "" : changes.get("statuscode"))) + " is not a valid state and status for it now.");
        }
        changes.set("statecode", to.state()).set("statuscode", to.status());
        switch (action) {
            case POSTPONE -> {
                java.time.Instant until = (java.time.Instant) changes.get("postponeuntil");
                if (until == null) {
                    throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "A postponed system job needs a postponeuntil.");
                }
            }
            case PAUSE -> {
                // a paused job waits for a person; its worker parks it at the next step boundary
                changes.remove("postponeuntil");
            }
            case RESUME -> changes.set("postponeuntil", null);
            // completedon is the platform's to write; a canceled job's stays empty, as it never finished a run
            case CANCEL -> changes.remove("postponeuntil");
            default -> {
            }
        }
    }

    /**
     * Reads the action from what was sent: Completed → cancel; Suspended → pause, or postpone with a postponeuntil;
     * a postponeuntil alone → postpone; Ready → resume. Anything else is not a move a person can ask for.
     */
    private static JobTransitions.UserAction action(Entity changes) {
        Integer state = (Integer) changes.get("statecode");
        Integer status = (Integer) changes.get("statuscode");
        boolean postpone = changes.get("postponeuntil") != null;
        if (state == null && status == null) {
            if (postpone) {
                return JobTransitions.UserAction.POSTPONE;
            }
            throw invalid(state, status);
        }
        if (state == null) {
            state = switch (status) {
                case 0 -> JobStatus.READY;
                case 10 -> JobStatus.SUSPENDED;
                case 32 -> JobStatus.COMPLETED;
                default -> throw invalid(null, status);
            };
        }
        return switch (state) {
            case JobStatus.COMPLETED -> {
                if (status != null && status != JobStatus.CANCELED.status()) {
                    throw invalid(state, status);
                }
                yield JobTransitions.UserAction.CANCEL;
            }
            case JobStatus.SUSPENDED -> {
                if (status != null && status != JobStatus.WAITING.status()) {
                    throw invalid(state, status);
                }
                yield postpone ? JobTransitions.UserAction.POSTPONE : JobTransitions.UserAction.PAUSE;
            }
            case JobStatus.READY -> {
                if (status != null && status != 0 || postpone) {
                    throw invalid(state, status);
                }
                yield JobTransitions.UserAction.RESUME;
            }
            default -> throw invalid(state, status);
        };
    }

    private static DataverseFault invalid(Integer state, Integer status) {
        return new DataverseFault(ErrorCode.INVALID_STATE_STATUS, state + " is not a valid state code for the system job, or " + status
                + " is not a valid status code for that state, for a request a person can make.");
    }

    private static String label(JobStatus s) {
        return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** Whether the job waits for a person (Suspended with the maximum postponeuntil). */
    public static boolean waitsForResume(Entity job) {
        return JobQueue.FOREVER.equals(job.get("postponeuntil"));
    }
}
