package dev.dve.engine.async;

/**
 * An HTTP call a job made (a custom activity's call-out, a webhook) failed: no connection or a timeout, a 401, or
 * another failed answer. All carry 0x80044306; the async service retries network errors and failed answers and
 * suspends on 401.
 */
public class HttpCallFailure extends RuntimeException {
    /** How the call failed. */
    public enum Kind { NETWORK, UNAUTHORIZED, HTTP }

    private final Kind kind;

    public HttpCallFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
