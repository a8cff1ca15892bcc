package dev.dve.server.admin;

/** An admin API answer: status and body, JSON unless a document of another media type ({@link #document}). */
public record AdminResponse(int status, Object body, String contentType) {
    public AdminResponse(int status, Object body) {
        this(status, body, null);
    }

    public static AdminResponse ok(Object body) {
        return new AdminResponse(200, body);
    }

    /** A text document answered as it is, e.g. a PEM certificate. */
    public static AdminResponse document(String contentType, String text) {
        return new AdminResponse(200, text, contentType);
    }
}
