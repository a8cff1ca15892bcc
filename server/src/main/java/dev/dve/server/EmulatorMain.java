package dev.dve.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code java -jar dataverse-emulator.jar [options]}; every option also reads a DVE_ variable. */
@Command(name = "dataverse-emulator", mixinStandardHelpOptions = true, version = "Dataverse Emulator 0.1",
        description = "Runs a Dataverse / Dynamics 365 Web API emulator with its workflow engine.")
public final class EmulatorMain implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--port", defaultValue = "${env:DVE_PORT:-5555}", description = "HTTP port (default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--host", defaultValue = "${env:DVE_HOST:-0.0.0.0}", description = "Interface to listen on (default ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--url", defaultValue = "${env:DVE_URL}", description = "Organization URL (default http://localhost:<port>).")
    String url;
    @Option(names = "--db", defaultValue = "${env:DVE_DB}", description = "JDBC URL, e.g. jdbc:mariadb://host:3306/db (default: embedded H2).")
    String db;
    @Option(names = "--db-user", defaultValue = "${env:DVE_DB_USER}", description = "Database user.")
    String dbUser;
    @Option(names = "--db-password", defaultValue = "${env:DVE_DB_PASSWORD}", description = "Database password.")
    String dbPassword;
    @Option(names = "--data-dir", defaultValue = "${env:DVE_DATA_DIR}", description = "Keep the H2 database on disk in this directory.")
    Path dataDir;
    @Option(names = "--fixtures", defaultValue = "${env:DVE_FIXTURES}", description = "Directory of fixture documents (default: built-in).")
    Path fixtures;
    @Option(names = "--node-id", defaultValue = "${env:DVE_NODE_ID}", description = "This node's id among nodes sharing a database.")
    String nodeId;
    @Option(names = "--token-test-secret", defaultValue = "${env:DVE_TOKEN_TEST_SECRET}", description = "Also accept HS256 tokens signed with this secret (tests mint their own).")
    String tokenTestSecret;
    @Option(names = "--workers", defaultValue = "${env:DVE_WORKERS:-4}", description = "Async-service workers on this node (default ${DEFAULT-VALUE}).")
    int workers;
    @Option(names = "--statement-timeout", defaultValue = "${env:DVE_STATEMENT_TIMEOUT:-PT30S}",
            description = "How long one SQL statement may run before it is stopped, ISO-8601 (default ${DEFAULT-VALUE}).")
    java.time.Duration statementTimeout;
    @Option(names = "--job-lease", defaultValue = "${env:DVE_JOB_LEASE:-PT30S}",
            description = "How long a node keeps a claimed system job without renewing its lease before another node takes it over, ISO-8601 (default ${DEFAULT-VALUE}).")
    java.time.Duration jobLease;
    @Option(names = "--retry-base", defaultValue = "${env:DVE_RETRY_BASE:-PT36S}",
            description = "A system job's first wait after a transient failure, ISO-8601 (default ${DEFAULT-VALUE}).")
    java.time.Duration retryBase;
    @Option(names = "--retry-factor", defaultValue = "${env:DVE_RETRY_FACTOR:-1.2}",
            description = "How much longer each next wait is (default ${DEFAULT-VALUE}); after 5 retries a job is suspended.")
    double retryFactor;
    @Option(names = "--https-port", defaultValue = "${env:DVE_HTTPS_PORT:-5556}",
            description = "HTTPS port, serving everything the HTTP port serves (default ${DEFAULT-VALUE}; 0 turns HTTPS off).")
    int httpsPort;
    @Option(names = "--tls-cert", defaultValue = "${env:DVE_TLS_CERT}",
            description = "PEM file of the HTTPS certificate (and its chain); default: one generated at first start and kept in the database.")
    Path tlsCert;
    @Option(names = "--tls-key", defaultValue = "${env:DVE_TLS_KEY}", description = "PEM file of the private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--import-metadata", defaultValue = "${env:DVE_IMPORT_METADATA}",
            description = "An org's $metadata document (CSDL XML): its tables are served beside the built-in ones.")
    Path importMetadata;
    @Option(names = "--import-entities", split = ",", defaultValue = "${env:DVE_IMPORT_ENTITIES}",
            description = "Only these tables of --import-metadata (comma-separated logical names), with the tables their lookups need.")
    java.util.List<String> importEntities;
    @Option(names = "--limit-requests", defaultValue = "${env:DVE_LIMIT_REQUESTS:-0}",
            description = "Service protection: requests per user in a 5-minute window before 429 (Dataverse: 6000; default 0 = off).")
    int limitRequests;
    @Option(names = "--limit-concurrent", defaultValue = "${env:DVE_LIMIT_CONCURRENT:-0}",
            description = "Service protection: requests of one user under way at once before 429 (Dataverse: 52; default 0 = off).")
    int limitConcurrent;
    @Option(names = "--limit-execution-time", defaultValue = "${env:DVE_LIMIT_EXECUTION_TIME}",
            description = "Service protection: combined execution time per user in a 5-minute window before 429, ISO-8601 (Dataverse: PT20M; default off).")
    java.time.Duration limitExecutionTime;

    public static void main(String[] args) {
        int code = new CommandLine(new EmulatorMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The options as the configuration the server runs with. */
    EmulatorConfig config() {
        if (httpsPort < 0 || httpsPort > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--https-port must be 0 (off) or a port number, not " + httpsPort + ".");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together: give both or neither.");
        }
        EmulatorConfig config = new EmulatorConfig(host, port, url, db, dbUser, dbPassword, dataDir, fixtures, nodeId, workers, tokenTestSecret, statementTimeout, jobLease,
                new dev.dve.engine.async.RetryPolicy(retryBase, retryFactor, dev.dve.engine.async.RetryPolicy.DATAVERSE.maxRetries()),
                new EmulatorConfig.Tls(httpsPort, tlsCert, tlsKey), null, null);
        if (importMetadata != null) {
            config = config.withImportedMetadata(new dev.dve.metadata.csdl.ImportedMetadata(importMetadata,
                    importEntities == null ? java.util.Set.of() : new java.util.LinkedHashSet<>(importEntities)));
        }
        return config.withServiceProtection(new dev.dve.server.throttling.ServiceProtectionLimits(limitRequests, limitConcurrent, limitExecutionTime));
    }

    @Override
    public Integer call() throws Exception {
        EmulatorServer server;
        try {
            server = new EmulatorServer(config()).start();
        } catch (dev.dve.server.tls.TlsSetupException e) {
            // a bad --tls-cert/--tls-key: the message says which file and why; no stack trace needed
            System.err.println("Dataverse Emulator cannot start: " + e.getMessage());
            return 2;
        }
        System.out.println("Dataverse Emulator listening on " + server.baseUrl() + (server.httpsPort() > 0 ? " and " + server.httpsBaseUrl() : "")
                + " (Web API " + server.baseUrl() + "/api/data/v9.2/, node " + server.nodeId() + ", " + server.runtime().database().dialect().name() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // exiting anyway
            } finally {
                stopped.countDown();
            }
        }));
        stopped.await();
        return 0;
    }
}
