package dev.dve.server.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Captures what one logger writes, at a level of the test's choosing, while the suite's logging stays at WARN.
 * The request log is written once the answer is complete — possibly just after the client has it — so readers wait
 * for the line they expect.
 */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level before;
    private final boolean additive;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
            // the event reads the MDC lazily, from whichever thread asks: take it now, on the logging thread
            e.prepareForDeferredProcessing();
            super.append(e);
        }
    };

    LogCapture(String loggerName, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        before = logger.getLevel();
        additive = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(level);
        // the captured lines stay out of the console, which shows warnings only
        logger.setAdditive(false);
    }

    /** Every line captured so far. */
    List<ILoggingEvent> lines() {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    /** The first captured line that matches, waiting up to five seconds for it. */
    Optional<ILoggingEvent> await(Predicate<ILoggingEvent> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (true) {
            Optional<ILoggingEvent> hit = lines().stream().filter(wanted).findFirst();
            if (hit.isPresent() || Instant.now().isAfter(deadline)) {
                return hit;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** The request-log line of the request answered with this {@code REQ_ID}, waiting for it to be written. */
    ILoggingEvent requestLine(String requestId) {
        return await(e -> requestId.equals(e.getMDCPropertyMap().get(RequestTelemetry.MDC_REQUEST_ID)))
                .orElseThrow(() -> new AssertionError("no request-log line for request " + requestId + " in " + lines()));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(before);
        logger.setAdditive(additive);
        appender.stop();
    }
}
