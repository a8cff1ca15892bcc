package dev.dve.server.admin;

/** An admin API answer: status and JSON body. */
public record AdminResponse(int status, Object body) {
    public static AdminResponse ok(Object body) {
        return new AdminResponse(200, body);
    }
}
