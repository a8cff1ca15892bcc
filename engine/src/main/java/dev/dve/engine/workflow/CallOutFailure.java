package dev.dve.engine.workflow;

/** A custom activity's HTTP call-out failed: no connection, 401, or another failed answer (code 0x80044306). */
public final class CallOutFailure extends RuntimeException {
    /** How the async service treats it: network errors and failed answers retry, 401 suspends. */
    public enum Kind { NETWORK, UNAUTHORIZED, HTTP }

    private final Kind kind;

    public CallOutFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
