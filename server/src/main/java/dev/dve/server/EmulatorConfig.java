package dev.dve.server;

import dev.dve.engine.RuntimeConfig;
import dev.dve.store.DatabaseConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The options of one emulator node, the same for the command line and for embedding.
 *
 * @param host       the interface to listen on
 * @param port       the HTTP port (0 picks a free one)
 * @param url        the organization URL (token audience); null means {@code http://localhost:<port>}
 * @param db         a JDBC URL; null means embedded H2
 * @param dbUser     database user
 * @param dbPassword database password
 * @param dataDir    directory for an on-disk H2 database; null keeps H2 in memory
 * @param fixtures   directory of fixture documents (and an {@code entities/} folder of extra metadata); null means the built-in ones
 * @param nodeId     this node's name among several on one database
 * @param workers    async-service workers on this node (0: none run by themselves; POST /admin/async/run-until-idle runs due jobs)
 * @param tokenTestSecret a shared secret tests may sign HS256 tokens with; null accepts none
 * @param statementTimeout how long one SQL statement may run; null means {@link DatabaseConfig#DEFAULT_STATEMENT_TIMEOUT}
 * @param jobLease   how long a node holds a claimed job without renewing its lease before another node takes it over (real time); null: 30 s
 * @param retry      the back-off of system jobs after transient failures; null: Dataverse's (36 s × 1.2ⁿ, 5 retries)
 * @param importedMetadata an org's {@code $metadata} whose tables are served beside the built-in ones; null: none
 * @param limits     service protection limits of the Web API per user; null: none
 */
public record EmulatorConfig(String host, int port, String url, String db, String dbUser, String dbPassword,
                             Path dataDir, Path fixtures, String nodeId, int workers, String tokenTestSecret,
                             java.time.Duration statementTimeout, java.time.Duration jobLease,
                             dev.dve.engine.async.RetryPolicy retry, dev.dve.metadata.csdl.ImportedMetadata importedMetadata,
                             dev.dve.server.throttling.ServiceProtectionLimits limits) {

    public EmulatorConfig(String host, int port, String url, String db, String dbUser, String dbPassword,
                          Path dataDir, Path fixtures, String nodeId, int workers, String tokenTestSecret,
                          java.time.Duration statementTimeout, java.time.Duration jobLease, dev.dve.engine.async.RetryPolicy retry) {
        this(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, jobLease, retry, null, null);
    }

    public EmulatorConfig(String host, int port, String url, String db, String dbUser, String dbPassword,
                          Path dataDir, Path fixtures, String nodeId, int workers, String tokenTestSecret) {
        this(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, null, null, null);
    }

    public static EmulatorConfig defaults() {
        return new EmulatorConfig("0.0.0.0", 5555, null, null, null, null, null, null, null, 4, null);
    }

    /** Embedded use: a private in-memory H2 on a free loopback port. */
    public static EmulatorConfig embedded() {
        // no background workers: an embedding test drives jobs with run-until-idle and the clock
        return new EmulatorConfig("127.0.0.1", 0, null, null, null, null, null, null, null, 0, null);
    }

    public EmulatorConfig withPort(int p) {
        return new EmulatorConfig(host, p, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, jobLease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withDatabase(String jdbcUrl, String user, String password) {
        return new EmulatorConfig(host, port, url, jdbcUrl, user, password, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, jobLease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withFixtures(Path dir) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, dir, nodeId, workers, tokenTestSecret, statementTimeout, jobLease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withNodeId(String id) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, id, workers, tokenTestSecret, statementTimeout, jobLease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withUrl(String organizationUrl) {
        return new EmulatorConfig(host, port, organizationUrl, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, jobLease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withTokenTestSecret(String secret) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, secret, statementTimeout, jobLease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withStatementTimeout(java.time.Duration timeout) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, timeout, jobLease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withWorkers(int n) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, n, tokenTestSecret, statementTimeout, jobLease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withJobLease(java.time.Duration lease) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, lease, retry, importedMetadata, limits);
    }

    public EmulatorConfig withRetry(dev.dve.engine.async.RetryPolicy policy) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, jobLease, policy, importedMetadata, limits);
    }

    /** Also serves the tables of an org's {@code $metadata} document (CSDL XML) not already built in. */
    public EmulatorConfig withImportedMetadata(Path csdl) {
        return withImportedMetadata(dev.dve.metadata.csdl.ImportedMetadata.of(csdl));
    }

    public EmulatorConfig withImportedMetadata(dev.dve.metadata.csdl.ImportedMetadata imported) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, jobLease, retry, imported, limits);
    }

    /** Service protection limits per user on the Web API (429 answers); null turns them off. */
    public EmulatorConfig withServiceProtection(dev.dve.server.throttling.ServiceProtectionLimits l) {
        return new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, jobLease, retry, importedMetadata, l);
    }

    /** Whether the server listens on the loopback interface only (then the admin API needs no token). */
    public boolean loopbackOnly() {
        return "127.0.0.1".equals(host) || "localhost".equalsIgnoreCase(host) || "::1".equals(host);
    }

    public String effectiveNodeId() {
        return nodeId != null ? nodeId : "node-" + UUID.randomUUID().toString().substring(0, 8);
    }

    RuntimeConfig runtimeConfig(String node) {
        DatabaseConfig database;
        if (db != null) {
            database = new DatabaseConfig(db, dbUser == null ? "" : dbUser, dbPassword == null ? "" : dbPassword, Math.max(10, workers + 8));
        } else if (dataDir != null) {
            database = DatabaseConfig.h2File(dataDir.toAbsolutePath().toString());
        } else {
            database = DatabaseConfig.inMemoryH2("dve-" + UUID.randomUUID());
        }
        // a worker inside a step can need a second connection (a log that must outlive the step), and requests need theirs
        database = database.withStatementTimeout(statementTimeout).withPoolSize(Math.max(10, 2 * workers + 8));
        List<Path> metadata = new ArrayList<>();
        if (fixtures != null) {
            metadata.add(fixtures.resolve("entities"));
        }
        return new RuntimeConfig(database, metadata, fixtures, node, dev.dve.engine.async.AsyncConfig.withWorkers(workers).withLease(jobLease).withRetry(retry), tokenTestSecret, importedMetadata);
    }
}
