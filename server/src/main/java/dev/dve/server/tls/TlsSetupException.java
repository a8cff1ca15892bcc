package dev.dve.server.tls;

/** The HTTPS listener cannot start: a certificate or key file that is missing, unreadable or does not match. */
public final class TlsSetupException extends RuntimeException {
    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
