package dev.dve.server.odata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * Record parameters passed as aliases the way Dataverse documents them, {@code @t={'@odata.id':'accounts(…)'}}: single
 * quotes, which Olingo's URI parser (strict JSON) refuses. Before Olingo parses the URI, an alias value that is such an
 * object is rewritten as the same object in strict JSON; anything else (and anything that is not an object) is passed
 * on byte for byte, for Olingo to judge.
 */
final class ParameterAliases {
    private static final ObjectMapper LENIENT = new ObjectMapper().enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES);

    private ParameterAliases() {
    }

    static String normalize(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty() || !rawQuery.contains("@")) {
            return rawQuery;
        }
        return QueryOptionRewrite.apply(rawQuery, (name, value) -> name.startsWith("@") ? strictObject(value) : null);
    }

    static jakarta.servlet.http.HttpServletRequest normalize(jakarta.servlet.http.HttpServletRequest req) {
        return QueryOptionRewrite.normalize(req, ParameterAliases::normalize);
    }

    /** The value as strict JSON when it is a JSON object with single-quoted strings; null otherwise. */
    private static String strictObject(String value) {
        if (value == null || !value.trim().startsWith("{") || value.indexOf('\'') < 0 || value.length() > 10_000) {
            return null;
        }
        try {
            JsonNode node = LENIENT.readTree(value);
            return node != null && node.isObject() ? LENIENT.writeValueAsString(node) : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
