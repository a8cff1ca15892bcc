package dev.dve.server.odata;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of a {@code $expand} as sent, split into its items and their options
 * ({@code nav($select=a;$filter=x)} → {@code nav: {$select: a, $filter: x}}), so the next link of an expanded
 * collection repeats the options of that collection. Olingo has already validated the text; this only cuts it at
 * the separators outside parentheses and string literals.
 */
final class ExpandText {
    private ExpandText() {
    }

    /** The items of one $expand level by navigation property name; empty for no text. */
    static Map<String, Map<String, String>> items(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String item : split(text, ',')) {
            String t = item.trim();
            int open = t.indexOf('(');
            String name = (open < 0 ? t : t.substring(0, open)).trim();
            int slash = name.indexOf('/');
            name = slash < 0 ? name : name.substring(0, slash);
            Map<String, String> options = new LinkedHashMap<>();
            if (open >= 0 && t.endsWith(")")) {
                for (String option : split(t.substring(open + 1, t.length() - 1), ';')) {
                    int eq = option.indexOf('=');
                    if (eq > 0) {
                        options.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
                    }
                }
            }
            out.put(name, options);
        }
        return out;
    }

    /** The options that shape a collection's rows as a query string: $select, $filter, $orderby and $expand. */
    static String query(Map<String, String> options) {
        List<String> parts = new ArrayList<>();
        for (String name : List.of("$select", "$filter", "$orderby", "$expand")) {
            String v = options.get(name);
            if (v != null && !v.isEmpty()) {
                parts.add(name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return String.join("&", parts);
    }

    /** Splits at {@code separator} where it is outside parentheses and single-quoted literals ('' is a quote). */
    private static List<String> split(String s, char separator) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == separator) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
