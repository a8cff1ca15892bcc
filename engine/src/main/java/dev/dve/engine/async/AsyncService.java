package dev.dve.engine.async;

import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.organization.OrganizationService;
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
    /** The runs going on in this process, by job, with their claim tokens: only these leases are renewed. */
    private final java.util.concurrent.ConcurrentHashMap<UUID, UUID> runs = new java.util.concurrent.ConcurrentHashMap<>();
    private ExecutorService workers;
    private ScheduledExecutorService housekeeping;
    private volatile JobObserver observer = JobObserver.NONE;

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

    /** Tells this observer about every claim and settlement from now on (one observer; null stops telling). */
    public void observe(JobObserver o) {
        this.observer = o == null ? JobObserver.NONE : o;
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

    /** The emulator clock moved: parked jobs whose time has come are Ready now, and idle workers look at once. */
    public void clockMoved() {
        database.inTransaction(c -> queue.wakeDue(c, clock.now()));
        wake();
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
                Optional<Claim> job = claim();
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
            Optional<Claim> job = claim();
            if (job.isEmpty()) {
                break;
            }
            String label = runClaimed(job.get());
            counts.merge(label, 1, Integer::sum);
            n++;
        }
        return new IdleReport(n, counts);
    }

    /** One claim of a job by this node: the token its lease carries, and what the observer hears of it. */
    record Claim(UUID job, UUID token, int operationType, java.time.Duration sinceDue) {
    }

    /** Claims the oldest due job for this node: In Progress, leased, in one transaction. */
    Optional<Claim> claim() {
        Optional<Claim> claimed = lockAndClaim();
        // told after the commit: a claim rolled back never happened
        claimed.ifPresent(cl -> notify(() -> observer.claimed(cl.operationType(), cl.sinceDue())));
        return claimed;
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("Job observer failed: {}", e.toString());
        }
    }

    /** When a job became due by the emulator clock: its postponeuntil when it has one, else when it was queued. */
    private static java.time.Duration sinceDue(Entity job, Instant now) {
        Instant due = job.get("postponeuntil") instanceof Instant p ? p : job.get("createdon") instanceof Instant c ? c : now;
        java.time.Duration d = java.time.Duration.between(due, now);
        return d.isNegative() ? java.time.Duration.ZERO : d;
    }

    private Optional<Claim> lockAndClaim() {
        return database.inTransaction(c -> {
            List<UUID> due = queue.lockDue(c, clock.now(), 1);
            if (due.isEmpty()) {
                return Optional.empty();
            }
            UUID id = due.get(0);
            Entity job = service.retrieve(WellKnownPrincipals.SYSTEM, "asyncoperation", id, null, false);
            Optional<JobStatus> from = JobStatus.of((Integer) job.get("statecode"), (Integer) job.get("statuscode"));
            if (from.isEmpty() || !JobTransitions.allowed(from.get(), JobStatus.IN_PROGRESS)) {
                // a row no state table allows must not block the queue behind it: fail it, say why
                LOG.error("System job {} has state {}/{} and cannot run; marking it failed", id, job.get("statecode"), job.get("statuscode"));
                service.updateTrusted(WellKnownPrincipals.SYSTEM, new Entity("asyncoperation", id).set("statecode", JobStatus.FAILED.state())
                        .set("statuscode", JobStatus.FAILED.status()).set("completedon", clock.now()).set("errorcode", ErrorCode.UNEXPECTED.signed())
                        .set("message", "The job's state and status were not valid; it cannot run."), (Long) job.get("versionnumber"));
                return Optional.empty();
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
            UUID token = UUID.randomUUID();
            queue.lease(c, id, node, token, realTime.instant().plus(config.lease()));
            int type = job.get("operationtype") instanceof Integer t ? t : -1;
            return Optional.of(new Claim(id, token, type, sinceDue(job, clock.now())));
        });
    }

    /**
     * Runs a job this node claimed and settles it; answers how it ended. Whatever goes wrong here, the lease stops
     * being renewed, so a job this run could not settle is taken over (by any node) once its lease runs out.
     */
    String runClaimed(Claim claim) {
        runs.put(claim.job(), claim.token());
        Instant started = realTime.instant();
        String outcome = "error";
        // every line logged during the run names the job; a run on a request's thread keeps the request's ids too
        String outerJob = org.slf4j.MDC.get("jobId");
        org.slf4j.MDC.put("jobId", claim.job().toString());
        try {
            outcome = runAndSettle(claim);
            return outcome;
        } finally {
            runs.remove(claim.job());
            String label = outcome;
            java.time.Duration ran = java.time.Duration.between(started, realTime.instant());
            LOG.debug("System job {} (operation type {}) on {}: {} after {} ms", claim.job(), claim.operationType(), node, label, ran.toMillis());
            if (outerJob == null) {
                org.slf4j.MDC.remove("jobId");
            } else {
                org.slf4j.MDC.put("jobId", outerJob);
            }
            notify(() -> observer.settled(claim.operationType(), label, ran));
        }
    }

    private String runAndSettle(Claim claim) {
        UUID id = claim.job();
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
                outcome = handler.run(new Execution(job, claim.token()));
            } catch (JobInterrupted stop) {
                LOG.debug("Job {} stopped at a step boundary: {}", id, stop.getMessage());
                outcome = new JobOutcome.Waiting(JobQueue.FOREVER);
            } catch (RuntimeException | StackOverflowError e) {
                error = e;
            }
        }
        if (outcome == null && error == null) {
            error = new IllegalStateException("the handler of operation type " + job.get("operationtype") + " answered no outcome");
        }
        if (error != null && !(error instanceof DataverseFault || error instanceof JobFault || error instanceof HttpCallFailure)) {
            // not a business failure: a bug in the emulator, shown to whoever reads the log
            LOG.error("System job {} failed unexpectedly", id, error);
        }
        JobFailure failure = error == null ? null : FailureClassifier.classify(error, workflow);
        return settle(claim, outcome, failure, startedAt);
    }

    private String settle(Claim claim, JobOutcome outcome, JobFailure failure, Instant startedAt) {
        UUID id = claim.job();
        for (int attempt = 0; attempt < 10; attempt++) {
            String label = database.inTransaction(c -> {
                // the lease row first, locked: the same order as a take-over, which skips it while we hold it
                if (!queue.holds(c, id, claim.token())) {
                    LOG.warn("Job {} is no longer leased by this run on {}: another run took it over", id, node);
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

    /**
     * Renews the leases of the runs going on in this process (a restarted node, even with the same id, renews none of
     * its predecessor's) and takes over jobs whose lease ran out: a running job goes back to Ready, to resume from its
     * checkpoint; one a person asked to pause or cancel meanwhile is paused or canceled now.
     */
    private void keepLeases() {
        try {
            Instant now = realTime.instant();
            runs.forEach((job, token) -> database.inTransaction(c -> queue.renew(c, job, token, now.plus(config.lease()))));
            database.inTransaction(c -> queue.wakeDue(c, clock.now()));
            database.inTransaction(c -> {
                for (UUID id : queue.lockExpiredLeases(c, now, 100)) {
                    Entity job = service.find(WellKnownPrincipals.SYSTEM, "asyncoperation", id).orElse(null);
                    if (job == null) {
                        queue.forget(c, id);
                        continue;
                    }
                    JobStatus from = status(job);
                    if (from.state() != JobStatus.LOCKED) {
                        queue.release(c, id);
                        continue;
                    }
                    Entity back = new Entity("asyncoperation", id);
                    JobStatus to = switch (from) {
                        case CANCELING -> JobStatus.CANCELED;
                        case PAUSING -> JobStatus.WAITING;
                        default -> JobStatus.WAITING_FOR_RESOURCES;
                    };
                    if (!JobTransitions.allowed(from, to)) {
                        throw new IllegalStateException("a taken-over job cannot move from " + from + " to " + to);
                    }
                    back.set("statecode", to.state()).set("statuscode", to.status());
                    if (to == JobStatus.CANCELED) {
                        back.set("completedon", clock.now());
                        queue.forget(c, id);
                    } else {
                        if (to == JobStatus.WAITING) {
                            Instant until = job.get("postponeuntil") instanceof Instant p && p.isAfter(clock.now()) ? p : JobQueue.FOREVER;
                            back.set("postponeuntil", until);
                        }
                        queue.release(c, id);
                    }
                    LOG.info("Taking over job {} from a run whose lease ran out: {}", id, to);
                    service.updateTrusted(WellKnownPrincipals.SYSTEM, back, (Long) job.get("versionnumber"));
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Lease housekeeping on {} failed: {}", node, e.toString());
        }
    }

    /** Every system job in the shared database, counted by state and status (read now, the same on every node). */
    public List<JobQueue.StateCount> countByState() {
        return database.inTransaction(queue::countByState);
    }

    /** The Ready and Suspended workflow jobs in the shared database, counted per workflow activation. */
    public List<JobQueue.WorkflowBacklog> backlogByWorkflow() {
        return database.inTransaction(queue::backlogByWorkflow);
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
        private final UUID token;
        private final String checkpoint;

        Execution(Entity job, UUID token) {
            this.job = job;
            this.token = token;
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
                requireLease(c);
                queue.saveCheckpoint(c, job.id(), value);
                return null;
            });
        }

        private void requireLease(java.sql.Connection c) throws java.sql.SQLException {
            if (!queue.holds(c, job.id(), token)) {
                throw new JobInterrupted("this run no longer holds the job");
            }
        }

        @Override
        public void checkStillWanted() {
            database.inTransaction(c -> {
                requireLease(c);
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
