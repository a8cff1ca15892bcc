package dev.dve.junit;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.EmulatorServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One Dataverse emulator per test class: started before the first test (random loopback port, H2 in memory unless
 * told otherwise, the fixtures loaded), reset to the fixtures before each test, stopped after the class. Used through
 * {@link DataverseEmulatorTest}, or registered in code:
 * <pre>{@code
 * @RegisterExtension
 * static DataverseEmulatorExtension dve = DataverseEmulatorExtension.builder().clockFrozenAt(Instant.parse("2026-03-02T09:00:00Z")).build();
 * }</pre>
 * Parameters of type {@link DataverseEmulatorRuntime}, {@link Admin} and {@link OrganizationClock} are injected. Nested
 * classes share their outer class's emulator. A registered instance also answers {@link #runtime()} itself. Registered
 * on an instance field instead of a static one, it starts an emulator for every test and stops it after the test.
 */
public final class DataverseEmulatorExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DataverseEmulatorExtension.class);
    /** Null when declared by the annotation: read from the test class then. */
    private final EmulatorOptions declared;
    private volatile RunningEmulator last;
    /** Whether JUnit calls this registration around the whole class (not so for one on an instance field). */
    private volatile boolean aroundClass;

    /** The annotation's way in: the options come from {@link DataverseEmulatorTest} on the test class. */
    public DataverseEmulatorExtension() {
        this(null);
    }

    private DataverseEmulatorExtension(EmulatorOptions options) {
        this.declared = options;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        aroundClass = true;
        emulator(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RunningEmulator e = emulator(context);
        if (e.options().resetBeforeEach()) {
            e.toFixtures();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DataverseEmulatorRuntime.class || type == Admin.class || type == OrganizationClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        DataverseEmulatorRuntime runtime = emulator(context).runtime();
        Class<?> type = parameter.getParameter().getType();
        if (type == Admin.class) {
            return runtime.admin();
        }
        if (type == OrganizationClock.class) {
            return runtime.clock();
        }
        return runtime;
    }

    /** The emulator of the test class running now (for a registered instance: the last class it started one for). */
    public DataverseEmulatorRuntime runtime() {
        RunningEmulator e = last;
        if (e == null) {
            throw new IllegalStateException("The emulator starts with the test class; it is not running yet.");
        }
        return e.runtime();
    }

    public String baseUrl() {
        return runtime().baseUrl();
    }

    public String webApiUrl() {
        return runtime().webApiUrl();
    }

    public Admin admin() {
        return runtime().admin();
    }

    /**
     * The emulator of the outermost test class of {@code context}, started on first use and closed with that class;
     * for a registration on an instance field (a new extension for every test), the test's own, closed with the test.
     */
    private RunningEmulator emulator(ExtensionContext context) {
        ExtensionContext owner = aroundClass || context.getTestMethod().isEmpty() ? outermostClass(context) : context;
        RunningEmulator e = owner.getStore(NAMESPACE).getOrComputeIfAbsent(this, key -> start(options(context)), RunningEmulator.class);
        last = e;
        return e;
    }

    private static ExtensionContext outermostClass(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getParent().isPresent() && c.getParent().get().getTestClass().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private EmulatorOptions options(ExtensionContext context) {
        if (declared != null) {
            return declared;
        }
        // the nearest class (itself, then the enclosing ones) carrying the annotation
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<Class<?>> type = c.get().getTestClass();
            if (type.isEmpty()) {
                break;
            }
            Optional<DataverseEmulatorTest> a = AnnotationSupport.findAnnotation(type.get(), DataverseEmulatorTest.class);
            if (a.isPresent()) {
                return EmulatorOptions.from(a.get(), type.get());
            }
        }
        return EmulatorOptions.defaults();
    }

    private static RunningEmulator start(EmulatorOptions options) {
        EmulatorConfig config = options.config();
        EmulatorServer server = new EmulatorServer(config);
        try {
            server.start();
        } catch (Exception e) {
            throw new ExtensionConfigurationException("The Dataverse emulator did not start: " + e.getMessage(), e);
        }
        RunningEmulator running = new RunningEmulator(server, DataverseEmulatorRuntime.of(server), options,
                config.db() == null && config.dataDir() == null);
        if (!options.resetBeforeEach()) {
            // nothing brings the fixtures and the clock before each test: once, then
            running.toFixtures();
        }
        return running;
    }

    /** One started emulator, closed by JUnit with the class whose store holds it. */
    private static final class RunningEmulator implements ExtensionContext.Store.CloseableResource {
        private final EmulatorServer server;
        private final DataverseEmulatorRuntime runtime;
        private final EmulatorOptions options;
        /** A new in-memory database holds just the fixtures: the first test needs no reset. A database by URL may hold an earlier run's rows. */
        private final java.util.concurrent.atomic.AtomicBoolean pristine;

        RunningEmulator(EmulatorServer server, DataverseEmulatorRuntime runtime, EmulatorOptions options, boolean pristine) {
            this.server = server;
            this.runtime = runtime;
            this.options = options;
            this.pristine = new java.util.concurrent.atomic.AtomicBoolean(pristine);
        }

        DataverseEmulatorRuntime runtime() {
            return runtime;
        }

        EmulatorOptions options() {
            return options;
        }

        void toFixtures() {
            if (!pristine.getAndSet(false)) {
                runtime.admin().reset();
            }
            freezeClockIfAsked();
        }

        void freezeClockIfAsked() {
            if (options.clockFrozenAt() != null) {
                runtime.clock().freezeAt(options.clockFrozenAt());
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /** Options of a programmatically registered extension. */
    public static final class Builder {
        private EmulatorOptions o = EmulatorOptions.defaults();

        private Builder() {
        }

        /** A fixtures directory ({@code --fixtures}); without one, the built-in fixtures. */
        public Builder fixtures(Path directory) {
            o = new EmulatorOptions(EmulatorOptions.fixturesDirectory(directory.toString(), null), o.databaseUrl(), o.databaseUser(), o.databasePassword(),
                    o.resetBeforeEach(), o.workers(), o.clockFrozenAt(), o.tuning());
            return this;
        }

        /** A fixtures folder on the class path ({@code src/test/resources/<folder>}). */
        public Builder fixturesOnClassPath(String folder) {
            o = new EmulatorOptions(EmulatorOptions.fixturesDirectory("classpath:" + folder, null), o.databaseUrl(), o.databaseUser(), o.databasePassword(),
                    o.resetBeforeEach(), o.workers(), o.clockFrozenAt(), o.tuning());
            return this;
        }

        /** A database of its own by JDBC URL (MariaDB 10.6+, or an H2 URL); without one, H2 in memory. */
        public Builder database(String jdbcUrl, String user, String password) {
            o = new EmulatorOptions(o.fixtures(), Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password,
                    o.resetBeforeEach(), o.workers(), o.clockFrozenAt(), o.tuning());
            return this;
        }

        /** Whether to reset to the fixtures before each test (default true). */
        public Builder resetBeforeEach(boolean reset) {
            o = new EmulatorOptions(o.fixtures(), o.databaseUrl(), o.databaseUser(), o.databasePassword(), reset, o.workers(), o.clockFrozenAt(), o.tuning());
            return this;
        }

        /** Background workers (default 0: jobs run when a test calls run-until-idle). */
        public Builder workers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("workers cannot be negative");
            }
            o = new EmulatorOptions(o.fixtures(), o.databaseUrl(), o.databaseUser(), o.databasePassword(), o.resetBeforeEach(), n, o.clockFrozenAt(), o.tuning());
            return this;
        }

        /** Freezes the clock at {@code instant} before each test (after the reset). */
        public Builder clockFrozenAt(Instant instant) {
            o = new EmulatorOptions(o.fixtures(), o.databaseUrl(), o.databaseUser(), o.databasePassword(), o.resetBeforeEach(), o.workers(), instant, o.tuning());
            return this;
        }

        /** Any other node option ({@link EmulatorConfig#withStatementTimeout}, {@link EmulatorConfig#withRetry} …), applied last. */
        public Builder configure(UnaryOperator<EmulatorConfig> change) {
            UnaryOperator<EmulatorConfig> before = o.tuning();
            o = new EmulatorOptions(o.fixtures(), o.databaseUrl(), o.databaseUser(), o.databasePassword(), o.resetBeforeEach(), o.workers(), o.clockFrozenAt(),
                    c -> change.apply(before.apply(c)));
            return this;
        }

        public DataverseEmulatorExtension build() {
            return new DataverseEmulatorExtension(o);
        }
    }
}
