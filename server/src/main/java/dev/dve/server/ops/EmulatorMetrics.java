package dev.dve.server.ops;

import dev.dve.engine.async.AsyncService;
import dev.dve.engine.async.JobObserver;
import dev.dve.engine.async.JobStatus;
import dev.dve.store.JobQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's metrics in a Micrometer Prometheus registry: HTTP requests by method, route template and status (a
 * histogram), system jobs by state and the workflow backlog (read from the shared database at each scrape, so every
 * node reports the same truth), and what this node's async service did (claim latency, runs by outcome).
 */
public final class EmulatorMetrics implements JobObserver {
    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorMetrics.class);
    private static final Set<String> METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS");
    private static final Duration[] REQUEST_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    /** Claim latency is emulator time: a job postponed by an hour and claimed when the clock jumps is an hour late. */
    private static final Duration[] CLAIM_BUCKETS = {Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)};
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AsyncService async;
    private final MultiGauge jobs;
    private final MultiGauge backlog;

    public EmulatorMetrics(String nodeId, AsyncService async) {
        this.async = async;
        registry.config().commonTags("node", nodeId);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        jobs = MultiGauge.builder("dve.jobs").description("System jobs (asyncoperation rows) in the shared database, by statecode and statuscode")
                .register(registry);
        backlog = MultiGauge.builder("dve.workflow.backlog")
                .description("Workflow system jobs waiting to run (ready) or parked (waiting), per workflow activation").register(registry);
    }

    /** Records one answered request; a method outside HTTP's usual set counts as OTHER. */
    public void requestCompleted(String method, String route, int status, Duration took) {
        Timer.builder("http.server.requests").description("HTTP requests answered, by method, route template and status")
                .tags("method", METHODS.contains(method) ? method : "OTHER", "route", route, "status", Integer.toString(status))
                .serviceLevelObjectives(REQUEST_BUCKETS).register(registry).record(took);
    }

    @Override
    public void claimed(int operationType, Duration sinceDue) {
        Timer.builder("dve.jobs.claim.latency").description("Emulator time from a system job being due to this node claiming it")
                .tags("operationtype", Integer.toString(operationType)).serviceLevelObjectives(CLAIM_BUCKETS).register(registry).record(sinceDue);
    }

    @Override
    public void settled(int operationType, String outcome, Duration ran) {
        Counter.builder("dve.jobs.runs").description("System job runs on this node, by how the run ended")
                .tags("operationtype", Integer.toString(operationType), "outcome", outcome).register(registry).increment();
    }

    /** The registry's scrape in the Prometheus text format, the job gauges read from the database first. */
    public synchronized String scrape() {
        try {
            refreshJobGauges();
        } catch (RuntimeException e) {
            // the rest of the metrics are still worth having when the database is away
            LOG.warn("Cannot count system jobs for /metrics: {}", e.toString());
        }
        return registry.scrape();
    }

    private void refreshJobGauges() {
        Map<String, MultiGauge.Row<?>> rows = new LinkedHashMap<>();
        for (JobStatus s : JobStatus.values()) {
            rows.put(s.state() + "/" + s.status(), jobRow(s.state(), s.status(), 0));
        }
        for (JobQueue.StateCount c : async.countByState()) {
            rows.put(c.statecode() + "/" + c.statuscode(), jobRow(c.statecode(), c.statuscode(), c.count()));
        }
        jobs.register(new ArrayList<>(rows.values()), true);
        List<MultiGauge.Row<?>> waiting = new ArrayList<>();
        for (JobQueue.WorkflowBacklog b : async.backlogByWorkflow()) {
            waiting.add(MultiGauge.Row.of(Tags.of("workflowactivationid", b.workflowActivationId().toString(),
                    "workflow", b.name() == null ? "" : b.name(), "state", b.statecode() == JobStatus.READY ? "ready" : "waiting"), b.count()));
        }
        backlog.register(waiting, true);
    }

    /** The status as the Dataverse documentation writes it: WAITING_FOR_RESOURCES → WaitingForResources. */
    private static String label(JobStatus s) {
        StringBuilder b = new StringBuilder();
        for (String word : s.name().split("_")) {
            b.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }

    private static MultiGauge.Row<?> jobRow(int state, int status, long count) {
        String name = JobStatus.of(state, status).map(EmulatorMetrics::label).orElse("Unknown");
        return MultiGauge.Row.of(Tags.of("statecode", Integer.toString(state), "statuscode", Integer.toString(status), "status", name), count);
    }
}
