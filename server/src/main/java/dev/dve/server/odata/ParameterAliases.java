package dev.dve.server.odata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

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
        StringBuilder out = new StringBuilder(rawQuery.length());
        String[] options = rawQuery.split("&", -1);
        for (int i = 0; i < options.length; i++) {
            String option = options[i];
            int eq = option.indexOf('=');
            String rewritten = option;
            if (eq > 0 && decode(option.substring(0, eq)).startsWith("@")) {
                String value = decode(option.substring(eq + 1));
                String json = strictObject(value);
                if (json != null && !json.equals(value)) {
                    rewritten = option.substring(0, eq + 1) + URLEncoder.encode(json, StandardCharsets.UTF_8).replace("+", "%20");
                }
            }
            out.append(i == 0 ? "" : "&").append(rewritten);
        }
        return out.toString();
    }

    static jakarta.servlet.http.HttpServletRequest normalize(jakarta.servlet.http.HttpServletRequest req) {
        String raw = req.getQueryString();
        String normalized = normalize(raw);
        if (normalized == null || normalized.equals(raw)) {
            return req;
        }
        return new jakarta.servlet.http.HttpServletRequestWrapper(req) {
            @Override
            public String getQueryString() {
                return normalized;
            }
        };
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

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
