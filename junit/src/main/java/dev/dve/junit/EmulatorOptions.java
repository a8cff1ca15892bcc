package dev.dve.junit;

import dev.dve.server.EmulatorConfig;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the extension runs its emulator, from the builder or from {@link DataverseEmulatorTest}. */
record EmulatorOptions(Path fixtures, String databaseUrl, String databaseUser, String databasePassword,
                       boolean resetBeforeEach, int workers, Instant clockFrozenAt, UnaryOperator<EmulatorConfig> tuning) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    static EmulatorOptions defaults() {
        return new EmulatorOptions(null, null, null, null, true, 0, null, UnaryOperator.identity());
    }

    /** The node's configuration: a private loopback port (its admin API open), no workers unless asked. */
    EmulatorConfig config() {
        EmulatorConfig c = EmulatorConfig.embedded().withWorkers(workers);
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            c = c.withDatabase(databaseUrl, databaseUser, databasePassword);
        }
        if (fixtures != null) {
            c = c.withFixtures(fixtures);
        }
        return tuning.apply(c);
    }

    static EmulatorOptions from(DataverseEmulatorTest a, Class<?> testClass) {
        String frozen = resolve(a.clockFrozenAt());
        Instant at;
        try {
            at = frozen.isBlank() ? null : Instant.parse(frozen.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("@DataverseEmulatorTest(clockFrozenAt = \"" + frozen + "\") is not an ISO-8601 instant such as 2026-03-02T09:00:00Z.", e);
        }
        if (a.workers() < 0) {
            throw new IllegalArgumentException("@DataverseEmulatorTest(workers) cannot be negative.");
        }
        String fixtures = resolve(a.fixtures());
        return new EmulatorOptions(fixtures.isBlank() ? null : fixturesDirectory(fixtures, testClass), blankToNull(resolve(a.databaseUrl())),
                resolve(a.databaseUser()), resolve(a.databasePassword()), a.resetBeforeEach(), a.workers(), at, UnaryOperator.identity());
    }

    /** A directory path, or {@code classpath:<folder>} found next to the test's classes (a folder, not inside a jar). */
    static Path fixturesDirectory(String where, Class<?> anchor) {
        Path dir;
        if (where.startsWith("classpath:")) {
            String name = where.substring("classpath:".length()).replaceFirst("^/+", "");
            ClassLoader loader = anchor != null ? anchor.getClassLoader() : Thread.currentThread().getContextClassLoader();
            URL url = loader.getResource(name);
            if (url == null || !"file".equals(url.getProtocol())) {
                throw new IllegalArgumentException("No fixtures folder " + where + " on the class path (it must be a folder, not inside a jar).");
            }
            try {
                dir = Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("Cannot read " + url, e);
            }
        } else {
            dir = Path.of(where).toAbsolutePath();
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("The fixtures folder " + dir + " does not exist.");
        }
        return dir;
    }

    /** Replaces {@code ${NAME}} by the system property or environment variable NAME (empty when neither is set). */
    static String resolve(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = System.getProperty(m.group(1));
            if (v == null) {
                v = System.getenv(m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
