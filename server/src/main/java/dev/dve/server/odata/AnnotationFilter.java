package dev.dve.server.odata;

import java.util.ArrayList;
import java.util.List;

/**
 * Which instance annotations a client asked for with {@code Prefer: odata.include-annotations="…"}: a comma list
 * of names or patterns ending in {@code *}, where {@code *} alone means all.
 */
public final class AnnotationFilter {
    public static final String FORMATTED_VALUE = "OData.Community.Display.V1.FormattedValue";
    public static final String LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname";
    public static final String ASSOCIATED_NAVIGATION = "Microsoft.Dynamics.CRM.associatednavigationproperty";
    public static final AnnotationFilter NONE = new AnnotationFilter(List.of());
    private final List<String> patterns;

    private AnnotationFilter(List<String> patterns) {
        this.patterns = patterns;
    }

    /** Parses the preference value, with or without its quotes; null or empty means none. */
    public static AnnotationFilter parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String v = value.trim();
        if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
            v = v.substring(1, v.length() - 1);
        }
        List<String> list = new ArrayList<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                list.add(p.trim());
            }
        }
        return new AnnotationFilter(list);
    }

    public boolean includes(String annotation) {
        for (String p : patterns) {
            if (p.startsWith("-")) {
                continue;
            }
            if (p.equals("*") || p.equalsIgnoreCase(annotation)
                    || p.endsWith("*") && annotation.toLowerCase().startsWith(p.substring(0, p.length() - 1).toLowerCase())) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Whether any lookup annotation needs the target's primary name. */
    public boolean needsLookupNames() {
        return includes(FORMATTED_VALUE);
    }
}
