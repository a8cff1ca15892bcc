package dev.dve.auth.token;

/** A bearer token that is not accepted, with the reason. */
public class TokenRejected extends Exception {
    public TokenRejected(String message) {
        super(message);
    }

    public TokenRejected(String message, Throwable cause) {
        super(message, cause);
    }
}
