package dev.dve.server.odata;

import dev.dve.fault.DataverseFault;

/**
 * The shape limits a request's query options must keep before Olingo parses them. Olingo's URI parser descends
 * recursively, several stack frames per level of parentheses, brackets or braces, so a query nested a few hundred
 * levels deep overflows the stack; Dataverse's own parser stops such queries with "The recursion limit has been
 * exceeded." Only the system query options and parameter aliases are checked: custom options ({@code fetchXml},
 * {@code savedQuery}) are not OData expressions.
 */
final class QueryLimits {
    /** Nesting of parentheses, brackets and braces in one query option; deeper is refused before parsing. */
    static final int MAX_NESTING = 100;

    private QueryLimits() {
    }

    /** Refuses a raw (still percent-encoded) query string that Olingo's parser cannot be trusted with; null passes. */
    static void check(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String option : rawQuery.split("&")) {
            int eq = option.indexOf('=');
            String name = decode(eq < 0 ? option : option.substring(0, eq));
            if (eq < 0 || !(name.startsWith("$") || name.startsWith("@"))) {
                continue;
            }
            String value = decode(option.substring(eq + 1));
            if (nesting(value) > MAX_NESTING) {
                throw DataverseFault.query("The query option '" + name + "' is nested more than " + MAX_NESTING
                        + " levels deep: The recursion limit has been exceeded.");
            }
        }
    }

    /** The deepest nesting of (), [] and {} outside single-quoted literals ('' inside a literal is a quote). */
    static int nesting(String text) {
        int depth = 0;
        int max = 0;
        boolean literal = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                literal = !literal;
            } else if (!literal && (c == '(' || c == '[' || c == '{')) {
                max = Math.max(max, ++depth);
            } else if (!literal && (c == ')' || c == ']' || c == '}')) {
                depth = Math.max(0, depth - 1);
            }
        }
        return max;
    }

    /** Percent-decoding that keeps malformed escapes as they are: Olingo reports those itself. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
