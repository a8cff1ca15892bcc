package dev.dve.junit;

import java.time.Instant;
import java.util.Map;

/**
 * What one run-until-idle did: how many jobs ran and how each run ended ({@code succeeded}, {@code failed},
 * {@code canceled}, {@code waiting}, {@code retrying}, {@code suspended}), at which emulator time.
 */
public record IdleReport(int jobs, Map<String, Integer> byOutcome, Instant now) {
    public IdleReport {
        byOutcome = Map.copyOf(byOutcome);
    }

    public int count(String outcome) {
        return byOutcome.getOrDefault(outcome, 0);
    }

    public int succeeded() {
        return count("succeeded");
    }

    public int failed() {
        return count("failed");
    }

    public int canceled() {
        return count("canceled");
    }

    public int waiting() {
        return count("waiting");
    }

    public int retrying() {
        return count("retrying");
    }

    public int suspended() {
        return count("suspended");
    }
}
