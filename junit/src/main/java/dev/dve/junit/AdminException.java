package dev.dve.junit;

/** An admin call the emulator refused: the HTTP status and Dataverse error code its route answers, and the message. */
public class AdminException extends RuntimeException {
    private final int status;
    private final String errorCode;

    public AdminException(int status, String errorCode, String message) {
        super(status + " " + errorCode + ": " + message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** The Dataverse error code, e.g. {@code 0x80040203}. */
    public String errorCode() {
        return errorCode;
    }
}
