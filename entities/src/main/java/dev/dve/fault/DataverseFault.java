package dev.dve.fault;

/**
 * An error the organization service answers with, the way Dataverse reports it: an error code, a message and
 * the HTTP status of the Web API answer. Throwing it changes nothing: the operation's transaction rolls back.
 */
public class DataverseFault extends RuntimeException {
    private final ErrorCode code;
    private final int httpStatus;

    public DataverseFault(ErrorCode code, String message) {
        this(code, code.httpStatus(), message, null);
    }

    public DataverseFault(ErrorCode code, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public static DataverseFault notFound(String entity, Object id) {
        return new DataverseFault(ErrorCode.OBJECT_DOES_NOT_EXIST, entity + " With Id = " + id + " Does Not Exist");
    }

    public static DataverseFault payload(String entitySet, String detail) {
        return new DataverseFault(ErrorCode.PAYLOAD_ERROR, "Error identified in Payload provided by the user for Entity :'"
                + entitySet + "', For more information on this error please follow this help link "
                + "https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : " + detail);
    }

    public static DataverseFault query(String message) {
        return new DataverseFault(ErrorCode.QUERY_ERROR, message);
    }

    public static DataverseFault validation(String message) {
        return new DataverseFault(ErrorCode.VALIDATION, message);
    }
}
