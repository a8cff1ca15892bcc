package dev.dve.fault;

/** Dataverse error codes the emulator raises, with the HTTP status the Web API answers them with. */
public enum ErrorCode {
    OBJECT_DOES_NOT_EXIST(0x80040217, 404),
    INVALID_ARGUMENT(0x80040203, 400),
    VALIDATION(0x80044331, 400),
    PAYLOAD_ERROR(0x80048d19, 400),
    /** A body in a format other than JSON: the payload error code, with the HTTP status for it. */
    UNSUPPORTED_MEDIA_TYPE(0x80048d19, 415),
    QUERY_ERROR(0x80060888, 400),
    RESOURCE_NOT_FOUND(0x8006088a, 404),
    NOT_SUPPORTED(0x8006088a, 501),
    METHOD_NOT_ALLOWED(0x80060888, 405),
    DUPLICATE_RECORD(0x80040237, 412),
    /** A delete refused by a Restrict relationship while referencing rows exist (CannotDeleteDueToAssociation). */
    CANNOT_DELETE_DUE_TO_ASSOCIATION(0x80040227, 405),
    CONCURRENCY_VERSION_MISMATCH(0x80060882, 412),
    INVALID_STATE_STATUS(0x80048408, 400),
    OUT_OF_RANGE(0x8004431a, 400),
    REQUIRED_ATTRIBUTE_MISSING(0x80040200, 400),
    PRIVILEGE_DENIED(0x80040220, 403),
    NOT_AUTHENTICATED(0x80040204, 401),
    USER_DISABLED(0x80040225, 400),
    USER_NOT_IN_ORGANIZATION(0x80072560, 403),
    WORKFLOW_NOT_ON_DEMAND(0x80045046, 400),
    INFINITE_LOOP(0x80044182, 400),
    WORKFLOW_VALIDATION(0x80045014, 400),
    UPDATE_PUBLISHED_WORKFLOW(0x80045002, 400),
    UPDATE_WORKFLOW_ACTIVATION(0x80045003, 400),
    DELETE_ACTIVE_WORKFLOW(0x8004500f, 400),
    UNSUPPORTED_WORKFLOW_STEP(0x80045045, 400),
    WORKFLOW_NOT_PUBLISHED(0x80045047, 400),
    ISV_ABORTED(0x80040265, 400),
    AGGREGATE_QUERY_RECORD_LIMIT(0x8004E023, 400),
    /** A statement ran past the time bound; the client asked for too much at once (Dataverse: "SQL timeout expired"). */
    SQL_TIMEOUT(0x80044151, 400),
    /** More than 15 link-entity elements in one query. */
    LINK_ENTITY_LIMIT(0x8004430D, 400),
    /** The organization is disabled (an injected fault): jobs retry. */
    ORGANIZATION_DISABLED(0x8004A104, 503),
    /** The server is busy (an injected fault): jobs retry. */
    SERVER_BUSY(0x8004A001, 503),
    /** The workflow system is paused: workflow jobs suspend. */
    WORKFLOW_SYSTEM_PAUSED(0x80045017, 400),
    /** The record a workflow job runs on no longer exists: the job suspends. */
    REGARDING_RECORD_MISSING(0x80045031, 404),
    /** An HTTP call-out failed (no connection, 401, another failed answer). */
    CALL_OUT_FAILED(0x80044306, 502),
    /** Only a completed system job can be deleted. */
    ASYNC_OPERATION_NOT_COMPLETED(0x8004416A, 400),
    /** Service protection: more requests in the 5-minute window than the limit. */
    SERVICE_PROTECTION_REQUESTS(0x80072322, 429),
    /** Service protection: more combined execution time in the 5-minute window than the limit. */
    SERVICE_PROTECTION_EXECUTION_TIME(0x80072321, 429),
    /** Service protection: more requests of one user at once than the limit. */
    SERVICE_PROTECTION_CONCURRENCY(0x80072326, 429),
    SQL_ERROR(0x80040216, 500),
    UNEXPECTED(0x80040216, 500);

    private final int code;
    private final int httpStatus;

    ErrorCode(int code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The code as Dataverse writes it in JSON: {@code 0x80040217}. */
    public String hex() {
        return String.format("0x%08x", code);
    }

    /** The code as the signed integer stored in {@code errorcode} attributes. */
    public int signed() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
