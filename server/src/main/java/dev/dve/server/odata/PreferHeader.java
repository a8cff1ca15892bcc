package dev.dve.server.odata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The preferences of the {@code Prefer} headers (repeated or comma-separated; quoted values may hold commas). */
public final class PreferHeader {
    private final Map<String, String> values = new LinkedHashMap<>();

    public PreferHeader(List<String> headers) {
        if (headers == null) {
            return;
        }
        for (String h : headers) {
            for (String part : split(h)) {
                int eq = part.indexOf('=');
                String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : part.substring(eq + 1).trim();
                if (!name.isEmpty()) {
                    values.put(name, value);
                }
            }
        }
    }

    private static List<String> split(String header) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char ch : header.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            }
            if (ch == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    public boolean has(String preference) {
        return values.containsKey(preference.toLowerCase(Locale.ROOT));
    }

    public boolean returnRepresentation() {
        return "representation".equalsIgnoreCase(values.get("return"));
    }

    public AnnotationFilter annotations() {
        return AnnotationFilter.parse(values.get("odata.include-annotations"));
    }

    public String includeAnnotationsRaw() {
        return values.get("odata.include-annotations");
    }

    public Integer maxPageSize() {
        String v = values.get("odata.maxpagesize");
        try {
            return v == null ? null : Integer.parseInt(v.replace("\"", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
