package dev.dve.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against its own Dataverse emulator: started before the first test on a free loopback port,
 * on an in-memory H2 database unless {@link #databaseUrl()} names another, reset to the fixtures before each test,
 * stopped after the last. Test constructors and methods may declare a {@link DataverseEmulatorRuntime} (or an
 * {@link Admin}, or the {@link OrganizationClock}) parameter.
 *
 * <p>Text attributes may hold {@code ${NAME}}, replaced by the system property or else the environment variable of
 * that name (empty when neither is set), so CI can point a suite at a shared database: {@code databaseUrl = "${DVE_DB}"}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DataverseEmulatorExtension.class)
public @interface DataverseEmulatorTest {
    /** A fixtures directory ({@code --fixtures}): a path, or {@code classpath:<folder>}; empty: the built-in fixtures. */
    String fixtures() default "";

    /** A JDBC URL naming a database of its own ({@code jdbc:mariadb://host:3306/dve_tests}); empty: H2 in memory. */
    String databaseUrl() default "";

    String databaseUser() default "";

    String databasePassword() default "";

    /** Reset to the fixtures before each test (and put the clock back, see {@link #clockFrozenAt()}). */
    boolean resetBeforeEach() default true;

    /** Background workers of the async service; 0 (the default): jobs run only when a test calls run-until-idle. */
    int workers() default 0;

    /** An ISO-8601 instant the clock is frozen at before each test (after the reset); empty: the system time, running. */
    String clockFrozenAt() default "";
}
