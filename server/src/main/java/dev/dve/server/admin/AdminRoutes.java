package dev.dve.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.engine.OrganizationRuntime;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The admin tasks of the contract: health, reset to fixtures, the clock, and injected faults. */
public final class AdminRoutes {
    private AdminRoutes() {
    }

    public static AdminServlet servlet(OrganizationRuntime runtime, String nodeId) {
        return servlet(runtime, nodeId, null);
    }

    /** @param protection this node's service protection counters, cleared by a reset (null: none) */
    public static AdminServlet servlet(OrganizationRuntime runtime, String nodeId, dev.dve.server.throttling.ServiceProtection protection) {
        return new AdminServlet()
                .addOpen("GET", "/health", body -> health(runtime, nodeId))
                .add("POST", "/credentials", body -> credentials(runtime, body))
                .add("POST", "/custom-activities", body -> customActivity(runtime, body))
                .add("POST", "/reset", body -> {
                    int records = runtime.reset();
                    if (protection != null) {
                        protection.clear();
                    }
                    return AdminResponse.ok(Map.of("records", records, "now", runtime.now().toString()));
                })
                .add("GET", "/clock", body -> AdminResponse.ok(clock(runtime)))
                .add("POST", "/clock", body -> setClock(runtime, body))
                .add("POST", "/async/run-until-idle", body -> runUntilIdle(runtime, body))
                .add("GET", "/faults", body -> AdminResponse.ok(Map.of("value", runtime.faults().list())))
                .add("POST", "/faults", body -> injectFault(runtime, body))
                .add("DELETE", "/faults", body -> {
                    runtime.faults().clear();
                    return AdminResponse.ok(Map.of("value", java.util.List.of()));
                });
    }

    private static AdminResponse health(OrganizationRuntime runtime, String nodeId) {
        boolean ok = runtime.healthy();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", ok ? "Healthy" : "Unhealthy");
        m.put("nodeId", nodeId);
        m.put("database", runtime.database().dialect().name());
        m.put("now", runtime.now().toString());
        return new AdminResponse(ok ? 200 : 503, m);
    }

    /** Sets the password of a user or the client secret of an application user: {"systemuserid"|"username"|"clientId", "secret"}. */
    private static AdminResponse credentials(OrganizationRuntime runtime, JsonNode body) {
        String secret = body.path("secret").asText(body.path("password").asText(null));
        if (secret == null || secret.isEmpty()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Give \"secret\" (or \"password\") and one of \"systemuserid\", \"username\", \"clientId\".");
        }
        java.util.Optional<dev.dve.record.Entity> user;
        try {
            if (body.hasNonNull("systemuserid")) {
                user = runtime.principals().byId(java.util.UUID.fromString(body.get("systemuserid").asText()));
            } else if (body.hasNonNull("username")) {
                user = runtime.principals().byUserName(body.get("username").asText());
            } else if (body.hasNonNull("clientId")) {
                user = runtime.principals().byApplicationId(java.util.UUID.fromString(body.get("clientId").asText()));
            } else {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Name the principal with \"systemuserid\", \"username\" or \"clientId\".");
            }
        } catch (IllegalArgumentException e) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Not a valid GUID.");
        }
        dev.dve.record.Entity u = user.orElseThrow(() -> new DataverseFault(ErrorCode.OBJECT_DOES_NOT_EXIST, "No such user or application user."));
        runtime.credentials().set(u.id(), secret);
        return AdminResponse.ok(Map.of("systemuserid", u.id().toString()));
    }

    /** Maps a custom activity's type name to its call-out URL: {"type": "Contoso.Workflows.NotifyErp", "url": "http://…"}. */
    private static AdminResponse customActivity(OrganizationRuntime runtime, JsonNode body) {
        String type = body.path("type").asText("");
        String url = body.path("url").asText("");
        if (type.isBlank() || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Give \"type\" (the activity's class name) and \"url\" (http or https).");
        }
        runtime.workflows().customActivities().register(type, url);
        return AdminResponse.ok(Map.of("type", type, "url", url));
    }

    /** Runs every due job on this node until none is due by the emulator clock: {"limit": n} caps how many (default 10 000). */
    private static AdminResponse runUntilIdle(OrganizationRuntime runtime, JsonNode body) {
        int limit = body.path("limit").asInt(10_000);
        if (limit <= 0) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"limit\" must be a positive number of jobs.");
        }
        dev.dve.engine.async.AsyncService.IdleReport r = runtime.async().runUntilIdle(limit);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", r.jobs());
        for (String outcome : java.util.List.of("succeeded", "failed", "canceled", "waiting", "retrying", "suspended")) {
            m.put(outcome, r.byOutcome().getOrDefault(outcome, 0));
        }
        r.byOutcome().forEach(m::putIfAbsent);
        m.put("now", runtime.now().toString());
        return AdminResponse.ok(m);
    }

    private static final java.util.Set<String> FAULTS = java.util.Set.of("organizationDisabled", "serverBusy", "sqlError", "workflowSystemPaused",
            dev.dve.store.InjectedFaults.SERVICE_PROTECTION);

    /**
     * Injects a fault into background runs: {"fault": "organizationDisabled"|"serverBusy"|"sqlError", "count": n (default 1),
     * "workflowId": the workflow whose SDK calls fail (default: every workflow's)}, {"fault": "workflowSystemPaused"}, or
     * {"fault": "serviceProtection", …} (429 answers of the Web API, see {@link #injectServiceProtection}).
     */
    private static AdminResponse injectFault(OrganizationRuntime runtime, JsonNode body) {
        String fault = body.path("fault").asText("");
        if (!FAULTS.contains(fault)) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"fault\" must be one of " + new java.util.TreeSet<>(FAULTS) + ".");
        }
        int count = body.path("count").asInt(fault.equals("workflowSystemPaused") ? Integer.MAX_VALUE : 1);
        if (count <= 0) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"count\" must be a positive number of calls.");
        }
        if (fault.equals(dev.dve.store.InjectedFaults.SERVICE_PROTECTION)) {
            return injectServiceProtection(runtime, body, count);
        }
        java.util.UUID workflow = null;
        if (body.hasNonNull("workflowId")) {
            try {
                workflow = java.util.UUID.fromString(body.get("workflowId").asText());
            } catch (IllegalArgumentException e) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"workflowId\" is not a GUID.");
            }
        }
        java.util.UUID id = runtime.faults().add(fault, count, workflow);
        return AdminResponse.ok(Map.of("faultid", id.toString(), "fault", fault, "remaining", count));
    }

    /**
     * The next {@code count} Web API requests (of the user {@code systemuserid}, or of anyone) answer 429 with
     * {@code errorCode} (one of the three service protection codes; default {@code 0x80072322}) and a {@code Retry-After}
     * of {@code retryAfter} seconds (a number, or an ISO-8601 duration; default 1).
     */
    private static AdminResponse injectServiceProtection(OrganizationRuntime runtime, JsonNode body, int count) {
        String code = body.path("errorCode").asText(dev.dve.fault.ErrorCode.SERVICE_PROTECTION_REQUESTS.hex());
        if (dev.dve.server.throttling.ServiceProtectionFault.code(code).isEmpty()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"errorCode\" must be one of "
                    + dev.dve.server.throttling.ServiceProtectionFault.CODES.stream().map(ErrorCode::hex).toList() + ".");
        }
        long retryAfter;
        JsonNode r = body.path("retryAfter");
        try {
            retryAfter = r.isMissingNode() || r.isNull() ? 1 : r.isIntegralNumber() ? r.asLong() : Duration.parse(r.asText()).toSeconds();
        } catch (DateTimeParseException e) {
            retryAfter = -1;
        }
        if (retryAfter < 1 || retryAfter > 86_400) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"retryAfter\" must be from 1 to 86400 seconds (a number or an ISO-8601 duration).");
        }
        java.util.UUID user = null;
        if (body.hasNonNull("systemuserid")) {
            try {
                user = java.util.UUID.fromString(body.get("systemuserid").asText());
            } catch (IllegalArgumentException e) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"systemuserid\" is not a GUID.");
            }
        }
        java.util.UUID id = runtime.faults().addServiceProtection(count, user, code.toLowerCase(java.util.Locale.ROOT), (int) retryAfter);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faultid", id.toString());
        m.put("fault", dev.dve.store.InjectedFaults.SERVICE_PROTECTION);
        m.put("remaining", count);
        m.put("errorCode", code.toLowerCase(java.util.Locale.ROOT));
        m.put("retryAfter", retryAfter);
        if (user != null) {
            m.put("systemuserid", user.toString());
        }
        return AdminResponse.ok(m);
    }

    private static Map<String, Object> clock(OrganizationRuntime runtime) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", runtime.now().toString());
        m.put("frozen", runtime.clock().isFrozen());
        return m;
    }

    private static AdminResponse setClock(OrganizationRuntime runtime, JsonNode body) {
        if (!body.isObject() || !(body.has("freeze") || body.has("set") || body.has("advance"))) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Give at least one of \"freeze\" (true|false), \"set\" (an instant) or \"advance\" (an ISO-8601 duration).");
        }
        Instant set = null;
        Duration advance = null;
        try {
            if (body.has("set")) {
                set = Instant.parse(body.get("set").asText());
            }
            if (body.has("advance")) {
                advance = Duration.parse(body.get("advance").asText());
                if (advance.isNegative()) {
                    throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The clock cannot be advanced by a negative duration.");
                }
            }
        } catch (DateTimeParseException e) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Cannot parse clock value: " + e.getParsedString());
        }
        if (body.has("freeze")) {
            if (!body.get("freeze").isBoolean()) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "\"freeze\" must be true or false.");
            }
            runtime.freezeClock(body.get("freeze").asBoolean());
        }
        if (set != null) {
            runtime.setClock(set);
        }
        if (advance != null) {
            runtime.advanceClock(advance);
        }
        return AdminResponse.ok(clock(runtime));
    }
}
