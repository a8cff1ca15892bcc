package dev.dve.engine;

import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.organization.SequentialPipeline;

import dev.dve.auth.CredentialStore;
import dev.dve.auth.PrincipalDirectory;
import dev.dve.auth.security.AccessPolicy;
import dev.dve.auth.token.SigningKeys;
import dev.dve.auth.token.TokenService;
import dev.dve.engine.bulkdelete.BulkDeleteSubmission;
import dev.dve.engine.clock.ClockStore;
import dev.dve.engine.clock.EmulatorClock;
import dev.dve.engine.fixtures.FixtureLoader;
import dev.dve.engine.workflow.CustomActivities;
import dev.dve.engine.workflow.WorkflowEngine;
import dev.dve.engine.workflow.WorkflowExecution;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import dev.dve.query.QueryExpression;
import dev.dve.store.Database;
import dev.dve.store.RecordStore;
import dev.dve.store.SchemaBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One running organization: the catalog, the database with its schema, the clock and the organization service,
 * with fixtures loaded on first start. The server, tests and tools all start one of these. It is the composition root:
 * every collaborator (catalog, database, clock, access policy, services) is built here and handed to the classes that
 * need it through their constructors; nothing fetches them from the organization service.
 */
public final class OrganizationRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrganizationRuntime.class);
    /** How often a node re-reads the shared clock, so a change made through another node reaches this one. */
    private static final long CLOCK_REFRESH_MS = 200;
    private final Object clockLock = new Object();
    private final RuntimeConfig config;
    private final MetadataCatalog catalog;
    private final Database database;
    private final RecordStore store;
    private final EmulatorClock clock;
    private final AccessPolicy access;
    private final ClockStore clockStore;
    private final OrganizationService service;
    private final dev.dve.auth.security.SecurityModel security;
    private final CredentialStore credentials;
    private final TokenService tokens;
    private final PrincipalDirectory principals;
    private final WorkflowEngine workflows;
    private final WorkflowExecution workflowExecution;
    private final BulkDeleteSubmission bulkDelete;
    private final dev.dve.engine.query.RetrieveMultiple queries;
    private final ScheduledExecutorService housekeeping;
    private final dev.dve.store.JobQueue jobs;
    private final dev.dve.engine.async.AsyncService async;
    private final dev.dve.store.InjectedFaults faults;
    private final dev.dve.engine.security.RecordSharing sharing;
    /** What other rooms (the console) keep in their own tables and forget on a reset, run in the reset's transaction. */
    private final java.util.List<Runnable> resetActions = new java.util.concurrent.CopyOnWriteArrayList<>();

    public OrganizationRuntime(RuntimeConfig config) {
        this.config = config;
        this.catalog = new MetadataLoader().load(config.metadataDirectories(), config.importedMetadata());
        this.database = new Database(config.database());
        try {
            SchemaBuilder schema = new SchemaBuilder(catalog, database);
            schema.apply();
            this.store = new RecordStore(catalog, database.dialect());
            this.clock = new EmulatorClock();
            this.clockStore = new ClockStore(database, schema);
            clock.restore(clockStore.load());
            this.access = new AccessPolicy(catalog);
            // one security model for the node: its principals are kept while the shared security stamp holds
            this.security = new dev.dve.auth.security.SecurityModel(store, new dev.dve.store.platform.SecurityStampTable(database, schema));
            this.service = new OrganizationService(catalog, database, store, clock, access, security);
            // the workflow room's rules on writes of workflows and system jobs: registered here, so the organization
            // service knows nothing of workflows
            service.addUpdateRule(new dev.dve.engine.workflow.WorkflowRules(access));
            // record sharing: access checks read the shares; a deleted record (or principal) takes its shares along
            access.useShares(new dev.dve.auth.security.StoredShares(database, store));
            this.sharing = new dev.dve.engine.security.RecordSharing(service, catalog, database, store, access, clock::now, security);
            service.addUpdateRule(sharing);
            this.credentials = new CredentialStore(database, schema, clock::now);
            this.tokens = new TokenService(new SigningKeys(database, schema), config.tokenTestSecret(), java.time.Clock.systemUTC());
            this.principals = new PrincipalDirectory(database, store);
            this.workflows = new WorkflowEngine(service, catalog, database, clock::now, new CustomActivities(database, schema));
            this.workflowExecution = new WorkflowExecution(service, workflows, catalog, database, access);
            this.bulkDelete = new BulkDeleteSubmission(service, catalog, database, access, clock::now);
            this.queries = new dev.dve.engine.query.RetrieveMultiple(service, database, catalog, clock::now);
            // a new user's settings row, then workflows, then webhook steps: all in the operation's transaction
            service.setPipeline(SequentialPipeline.of(new dev.dve.engine.security.UserSettingsProvisioner(service, catalog), workflows,
                    new dev.dve.engine.webhook.WebhookTrigger(service, catalog, clock::now)));
            service.addUpdateRule(new dev.dve.engine.async.JobControl());
            this.jobs = new dev.dve.store.JobQueue(database, schema);
            this.async = new dev.dve.engine.async.AsyncService(config.async(), service, database, jobs, clock, java.time.Clock.systemUTC(),
                    config.nodeId());
            this.faults = new dev.dve.store.InjectedFaults(database, schema);
            async.register(new dev.dve.engine.workflow.BackgroundWorkflows(workflows, service, database, faults));
            workflows.onRecordChanged(async::recordChanged);
            async.register(new dev.dve.engine.webhook.WebhookDelivery(service));
            async.register(new dev.dve.engine.bulkdelete.BulkDeleteJobs(service, catalog, database));
            loadFixturesIfEmpty();
            this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dve-housekeeping-" + config.nodeId());
                t.setDaemon(true);
                return t;
            });
            housekeeping.scheduleWithFixedDelay(this::refreshClock, CLOCK_REFRESH_MS, CLOCK_REFRESH_MS, TimeUnit.MILLISECONDS);
            async.start();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private void loadFixturesIfEmpty() {
        if (service.count(dev.dve.auth.WellKnownPrincipals.SYSTEM, new QueryExpression("organization")) > 0) {
            return;
        }
        try {
            int n = new FixtureLoader(service, catalog, database, credentials).load(config.fixturesDirectory());
            registerCustomActivities();
            LOG.info("Loaded {} fixture records", n);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof DataverseFault f && f.code() == ErrorCode.DUPLICATE_RECORD) {
                LOG.info("Another node loaded the fixtures first");
                return;
            }
            throw e;
        } catch (DataverseFault f) {
            // nodes started together: the other's fixture transaction committed the same rows first (the privileges)
            if (f.code() == ErrorCode.DUPLICATE_RECORD) {
                LOG.info("Another node loaded the fixtures first");
                return;
            }
            throw f;
        }
    }

    /** Back to the fixtures: every row is deleted and the fixtures loaded again, in one transaction; the clock runs again. */
    public int reset() {
        int n = database.inTransaction(c -> {
            store.deleteAll(c);
            security.changed(c);
            jobs.deleteAll(c);
            faults.clear(c);
            resetActions.forEach(Runnable::run);
            credentials.clear();
            workflows.customActivities().clear();
            int loaded = new FixtureLoader(service, catalog, database, credentials).load(config.fixturesDirectory());
            registerCustomActivities();
            return loaded;
        });
        service.forgetCaches();
        changeClock(EmulatorClock::reset);
        return n;
    }

    /** Adds work a reset does in its transaction, e.g. emptying a table the server keeps (joins the reset's transaction). */
    public void onReset(Runnable action) {
        resetActions.add(action);
    }

    /** Registers the call-outs of {@code custom-activities.json} in the fixtures directory: {"Type.Name": "http://…"}. */
    private void registerCustomActivities() {
        if (config.fixturesDirectory() == null) {
            return;
        }
        java.nio.file.Path f = config.fixturesDirectory().resolve(FixtureLoader.CUSTOM_ACTIVITIES);
        if (!java.nio.file.Files.isRegularFile(f)) {
            return;
        }
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile()).fields()
                    .forEachRemaining(e -> workflows.customActivities().register(e.getKey(), e.getValue().asText()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read " + f, e);
        }
    }

    /** GrantAccess, ModifyAccess, RevokeAccess and the share queries. */
    public dev.dve.engine.security.RecordSharing sharing() {
        return sharing;
    }

    public Instant now() {
        return clock.now();
    }

    public void freezeClock(boolean freeze) {
        changeClock(c -> c.freeze(freeze));
    }

    public void setClock(Instant instant) {
        changeClock(c -> c.set(instant));
    }

    public void advanceClock(Duration d) {
        changeClock(c -> c.advance(d));
    }

    /** Applies a change to the clock and stores it for the other nodes, without a refresh in between. */
    private void changeClock(java.util.function.Consumer<EmulatorClock> change) {
        synchronized (clockLock) {
            change.accept(clock);
            clockStore.save(clock.state());
        }
        // parked jobs may be due now
        async.clockMoved();
    }

    private void refreshClock() {
        try {
            boolean moved;
            synchronized (clockLock) {
                EmulatorClock.ClockState before = clock.state();
                clock.restore(clockStore.load());
                moved = !before.equals(clock.state());
            }
            if (moved) {
                // another node moved the clock: jobs parked until then may be due here too
                async.clockMoved();
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the shared clock: {}", e.getMessage());
        }
    }

    public CredentialStore credentials() {
        return credentials;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** RetrieveMultiple with Dataverse's paging and counts, for every way in. */
    public dev.dve.engine.query.RetrieveMultiple queries() {
        return queries;
    }

    public WorkflowEngine workflows() {
        return workflows;
    }

    /** The ExecuteWorkflow message: starts an on-demand or child workflow as a system job. */
    public WorkflowExecution workflowExecution() {
        return workflowExecution;
    }

    /** The BulkDelete message: queues a Bulk Delete system job. */
    public BulkDeleteSubmission bulkDelete() {
        return bulkDelete;
    }

    public PrincipalDirectory principals() {
        return principals;
    }

    public EmulatorClock clock() {
        return clock;
    }

    public MetadataCatalog catalog() {
        return catalog;
    }

    /** The organization's privilege checks, for the few made outside the organization service (impersonation). */
    public AccessPolicy accessPolicy() {
        return access;
    }

    public OrganizationService service() {
        return service;
    }

    public Database database() {
        return database;
    }

    public RuntimeConfig config() {
        return config;
    }

    /** Whether the database answers. */
    public boolean healthy() {
        try {
            return database.inTransaction(c -> c.isValid(2));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The faults tests inject into background runs. */
    public dev.dve.store.InjectedFaults faults() {
        return faults;
    }

    /** This node's async service: its workers, and run-until-idle for tests. */
    public dev.dve.engine.async.AsyncService async() {
        return async;
    }

    @Override
    public void close() {
        async.close();
        housekeeping.shutdownNow();
        database.close();
    }

}
