package dev.dve.engine;

import dev.dve.engine.clock.ClockStore;
import dev.dve.engine.clock.EmulatorClock;
import dev.dve.engine.fixtures.FixtureLoader;
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
import java.util.List;

/**
 * One running organization: the catalog, the database with its schema, the clock and the organization service,
 * with fixtures loaded on first start. The server, tests and tools all start one of these.
 */
public final class OrganizationRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrganizationRuntime.class);
    private final RuntimeConfig config;
    private final MetadataCatalog catalog;
    private final Database database;
    private final RecordStore store;
    private final EmulatorClock clock;
    private final ClockStore clockStore;
    private final OrganizationService service;

    public OrganizationRuntime(RuntimeConfig config) {
        this.config = config;
        this.catalog = new MetadataLoader().load(config.metadataDirectories());
        this.database = new Database(config.database());
        try {
            SchemaBuilder schema = new SchemaBuilder(catalog, database);
            schema.apply();
            this.store = new RecordStore(catalog, database.dialect());
            this.clock = new EmulatorClock();
            this.clockStore = new ClockStore(database, schema);
            clock.restore(clockStore.load());
            this.service = new OrganizationService(catalog, database, store, clock);
            loadFixturesIfEmpty();
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
            int n = new FixtureLoader(service).load(config.fixturesDirectory());
            LOG.info("Loaded {} fixture records", n);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof DataverseFault f && f.code() == ErrorCode.DUPLICATE_RECORD) {
                LOG.info("Another node loaded the fixtures first");
                return;
            }
            throw e;
        }
    }

    /** Back to the fixtures: every row is deleted and the fixtures loaded again, in one transaction; the clock runs again. */
    public int reset() {
        int n = database.inTransaction(c -> {
            store.deleteAll(c);
            return new FixtureLoader(service).load(config.fixturesDirectory());
        });
        service.forgetCaches();
        clock.reset();
        clockStore.save(clock.state());
        return n;
    }

    public Instant now() {
        return clock.now();
    }

    public void freezeClock(boolean freeze) {
        clock.freeze(freeze);
        clockStore.save(clock.state());
    }

    public void setClock(Instant instant) {
        clock.set(instant);
        clockStore.save(clock.state());
    }

    public void advanceClock(Duration d) {
        clock.advance(d);
        clockStore.save(clock.state());
    }

    public EmulatorClock clock() {
        return clock;
    }

    public MetadataCatalog catalog() {
        return catalog;
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

    @Override
    public void close() {
        database.close();
    }

}
