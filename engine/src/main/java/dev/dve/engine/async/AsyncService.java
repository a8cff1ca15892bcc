package dev.dve.engine.async;

import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.OrganizationService;
import dev.dve.engine.clock.EmulatorClock;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.record.Entity;
import dev.dve.store.Database;
import dev.dve.store.JobQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node's async service: a bounded pool of workers that claim due system jobs oldest first ({@code FOR UPDATE SKIP
 * LOCKED}, so nodes sharing a database never run one job twice), lease them in real time, run them through the handler
 * of their operation type and settle them by the error table and the retry policy. A housekeeping thread renews this
 * node's leases and hands back jobs whose node stopped renewing. It knows nothing about workflows.
 */
public final class AsyncService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncService.class);
    private final AsyncConfig config;
    private final OrganizationService service;
    private final Database database;
    private final JobQueue queue;
    private final EmulatorClock clock;
    private final Clock realTime;
    private final String node;
    private final Map<Integer, JobHandler> handlers = new LinkedHashMap<>();
    private final Object wakeUp = new Object();
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService workers;
    private ScheduledExecutorService housekeeping;

    public AsyncService(AsyncConfig config, OrganizationService service, Database database, JobQueue queue, EmulatorClock clock,
                        Clock realTime, String node) {
        this.config = config;
        this.service = service;
        this.database = database;
        this.queue = queue;
        this.clock = clock;
        this.realTime = realTime;
        this.node = node;
    }

    public void register(JobHandler handler) {
        handlers.put(handler.operationType(), handler);
    }

    public AsyncConfig config() {
        return config;
    }

    /** Starts the workers (none with {@code workers = 0}) and the lease housekeeping. */
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dve-async-leases-" + node));
        long beat = Math.max(50, config.lease().toMillis() / 3);
        housekeeping.scheduleWithFixedDelay(this::keepLeases, beat, beat, TimeUnit.MILLISECONDS);
        if (config.workers() > 0) {
            workers = Executors.newFixedThreadPool(config.workers(), r -> daemon(r, "dve-async-worker-" + node));
            for (int i = 0; i < config.workers(); i++) {
                workers.submit(this::workLoop);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Wakes idle workers now (jobs were queued, or the clock moved and parked jobs may be due). */
    public void wake() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void workLoop() {
        while (running.get()) {
            try {
                Optional<UUID> job = claim();
                if (job.isPresent()) {
                    runClaimed(job.get());
                    continue;
                }
                synchronized (wakeUp) {
                    wakeUp.wait(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // the database may be down: log, wait a beat, go on — a worker never dies of one bad round
                LOG.warn("Async worker on {}: {}", node, e.toString());
                sleepQuietly(config.pollInterval().toMillis());
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts of how the jobs run by {@link #runUntilIdle} ended, by label (succeeded, failed, canceled, waiting, retrying, suspended). */
    public record IdleReport(int jobs, Map<String, Integer> byOutcome) {
    }

    /**
     * Runs due jobs on the calling thread until none is due by the emulator clock; what tests drive jobs with when
     * the node runs no workers. Stops after {@code limit} jobs, so a workflow that queues itself cannot hang the call.
     */
    public IdleReport runUntilIdle(int limit) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int n = 0;
        while (n < limit) {
            Optional<UUID> job = claim();
            if (job.isEmpty()) {
                break;
            }
            String label = runClaimed(job.get());
            counts.merge(label, 1, Integer::sum);
            n++;
        }
        return new IdleReport(n, counts);
    }

    /** Claims the oldest due job for this node: In Progress, leased, in one transaction. */
    Optional<UUID> claim() {
        return database.inTransaction(c -> {
            List<UUID> due = queue.lockDue(c, clock.now(), 1);
            if (due.isEmpty()) {
                return Optional.empty();
            }
            UUID id = due.get(0);
            Entity job = service.retrieve(WellKnownPrincipals.SYSTEM, "asyncoperation", id, null, false);
            JobStatus from = status(job);
            if (!JobTransitions.allowed(from, JobStatus.IN_PROGRESS)) {
                throw new IllegalStateException("a due job " + id + " cannot be claimed from " + from);
            }
            Entity claimed = new Entity("asyncoperation", id).set("statecode", JobStatus.IN_PROGRESS.state())
                    .set("statuscode", JobStatus.IN_PROGRESS.status()).set("hostid", node).set("iswaitingforevent", false);
            if (job.get("startedon") == null) {
                claimed.set("startedon", clock.now());
            }
            // the row is locked by this transaction: the compare-and-set cannot lose
            if (!service.updateTrusted(WellKnownPrincipals.SYSTEM, claimed, (Long) job.get("versionnumber"))) {
                throw new IllegalStateException("claimed job " + id + " changed under its lock");
            }
            queue.lease(c, id, node, realTime.instant().plus(config.lease()));
            return Optional.of(id);
        });
    }

    /** Runs a job this node claimed and settles it; answers how it ended. */
    String runClaimed(UUID id) {
        Entity job = service.retrieve(WellKnownPrincipals.SYSTEM, "asyncoperation", id, null, false);
        Instant startedAt = clock.now();
        JobHandler handler = handlers.get(job.get("operationtype") instanceof Integer t ? t : -1);
        JobOutcome outcome = null;
        Throwable error = null;
        boolean workflow = handler != null && handler.workflow();
        int depth = job.get("depth") instanceof Integer d ? d : 1;
        if (handler == null) {
            error = new DataverseFault(ErrorCode.UNEXPECTED, "The emulator runs no system jobs of operation type " + job.get("operationtype") + ".");
        } else if (depth > config.maxDepth()) {
            error = new DataverseFault(ErrorCode.INFINITE_LOOP, "This workflow job was canceled because the workflow that started it included an "
                    + "infinite loop. Correct the workflow logic and try again.");
        } else {
            try {
                outcome = handler.run(new Execution(job));
            } catch (JobInterrupted stop) {
                LOG.debug("Job {} stopped at a step boundary: {}", id, stop.getMessage());
                outcome = new JobOutcome.Waiting(JobQueue.FOREVER);
            } catch (RuntimeException e) {
                error = e;
            }
        }
        JobFailure failure = error == null ? null : FailureClassifier.classify(error, workflow);
        if (error != null && !(error instanceof DataverseFault || error instanceof JobFault || error instanceof HttpCallFailure)) {
            // not a business failure: a bug in the emulator, shown to whoever reads the log
            LOG.error("System job {} failed unexpectedly", id, error);
        }
        return settle(id, outcome, failure, startedAt);
    }

    private String settle(UUID id, JobOutcome outcome, JobFailure failure, Instant startedAt) {
        for (int attempt = 0; attempt < 10; attempt++) {
            String label = database.inTransaction(c -> {
                if (!queue.holds(c, id, node)) {
                    LOG.warn("Job {} is no longer leased by {}: another node took it over", id, node);
                    return "lost";
                }
                Entity current = service.find(WellKnownPrincipals.SYSTEM, "asyncoperation", id).orElse(null);
                if (current == null) {
                    queue.forget(c, id);
                    return "deleted";
                }
                JobSettlement.Result r = JobSettlement.settle(current, outcome, failure, clock.now(), startedAt, config.retry());
                JobStatus from = status(current);
                JobStatus to = status(r.changes());
                if (!JobTransitions.allowed(from, to)) {
                    throw new IllegalStateException("job " + id + " cannot move from " + from + " to " + to);
                }
                if (!service.updateTrusted(WellKnownPrincipals.SYSTEM, r.changes(), (Long) current.get("versionnumber"))) {
                    return null;
                }
                if (r.fin()) {
                    queue.forget(c, id);
                } else {
                    queue.release(c, id);
                }
                if (r.delete()) {
                    service.delete(WellKnownPrincipals.SYSTEM, "asyncoperation", id, null);
                }
                return r.label();
            });
            if (label != null) {
                return label;
            }
            // a person changed the job while it settled: read it again and decide again
        }
        throw new IllegalStateException("job " + id + " kept changing while it settled");
    }

    private static JobStatus status(Entity job) {
        return JobStatus.of((Integer) job.get("statecode"), (Integer) job.get("statuscode"))
                .orElseThrow(() -> new IllegalStateException("job " + job.id() + " has no valid state"));
    }

    /** Renews this node's leases and hands back the jobs of nodes that stopped renewing theirs. */
    private void keepLeases() {
        try {
            Instant now = realTime.instant();
            database.inTransaction(c -> queue.renew(c, node, now.plus(config.lease())));
            database.inTransaction(c -> {
                for (UUID id : queue.lockExpiredLeases(c, now, 100)) {
                    Entity job = service.find(WellKnownPrincipals.SYSTEM, "asyncoperation", id).orElse(null);
                    queue.release(c, id);
                    if (job == null) {
                        continue;
                    }
                    JobStatus from = status(job);
                    if (from.state() == JobStatus.LOCKED) {
                        // Pausing / Canceling requests stay with the job: the next run honours them at its first boundary
                        JobStatus back = JobStatus.WAITING_FOR_RESOURCES;
                        LOG.info("Taking over job {} from a node whose lease ran out", id);
                        service.updateTrusted(WellKnownPrincipals.SYSTEM, new Entity("asyncoperation", id).set("statecode", back.state())
                                .set("statuscode", back.status()), (Long) job.get("versionnumber"));
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Lease housekeeping on {} failed: {}", node, e.toString());
        }
    }

    /**
     * Wakes the jobs waiting for a change to this record (a wait condition), in the transaction of the change, so
     * they test their condition again; answers how many.
     */
    public int recordChanged(UUID record) {
        int n = database.inTransaction(c -> queue.wakeWaitingOn(c, record));
        if (n > 0) {
            wake();
        }
        return n;
    }

    /** The capability object a handler gets for one job. */
    private final class Execution implements JobExecution {
        private final Entity job;
        private final String checkpoint;

        Execution(Entity job) {
            this.job = job;
            this.checkpoint = database.inTransaction(c -> queue.checkpoint(c, job.id()));
        }

        @Override
        public Entity job() {
            return job;
        }

        @Override
        public Instant now() {
            return clock.now();
        }

        @Override
        public String checkpoint() {
            return checkpoint;
        }

        @Override
        public void saveCheckpoint(String value) {
            database.inTransaction(c -> {
                checkStillWanted();
                queue.saveCheckpoint(c, job.id(), value);
                return null;
            });
        }

        @Override
        public void checkStillWanted() {
            database.inTransaction(c -> {
                if (!queue.holds(c, job.id(), node)) {
                    throw new JobInterrupted("this node no longer holds the job");
                }
                Entity now = service.find(WellKnownPrincipals.SYSTEM, "asyncoperation", job.id())
                        .orElseThrow(() -> new JobInterrupted("the job was deleted"));
                JobStatus s = status(now);
                if (s == JobStatus.PAUSING || s == JobStatus.CANCELING) {
                    throw new JobInterrupted("a person asked the job to " + (s == JobStatus.PAUSING ? "pause" : "cancel"));
                }
                return null;
            });
        }

        @Override
        public int cancelQueuedOf(UUID activation) {
            return database.inTransaction(c -> queue.cancelQueued(c, activation, clock.now()));
        }
    }

    @Override
    public void close() {
        running.set(false);
        wake();
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
    }
}
