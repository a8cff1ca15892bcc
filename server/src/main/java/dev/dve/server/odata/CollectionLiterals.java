package dev.dve.server.odata;

/**
 * The collection arguments of Dataverse's query functions as Dataverse reads them. Microsoft documents
 * {@code PropertyValues=['2']} with OData string literals (single quotes, {@code ''} for a quote) as well as the
 * JSON form {@code PropertyValues=["2"]}; Olingo's URI parser takes only JSON inside a collection. Before Olingo
 * parses {@code $filter} (also nested in {@code $expand}), each single-quoted element of a {@code PropertyValues}
 * array is rewritten as the JSON string of the same text; everything else is passed on byte for byte. Input this
 * does not recognise is left as it is, for Olingo to judge.
 */
final class CollectionLiterals {
    private CollectionLiterals() {
    }

    /** The raw (percent-encoded) query string with OData string literals in PropertyValues arrays made JSON. */
    static String normalize(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty() || !rawQuery.contains("PropertyValues")) {
            return rawQuery;
        }
        return QueryOptionRewrite.apply(rawQuery, (name, value) -> "$filter".equals(name) || "$expand".equals(name) ? rewrite(value) : null);
    }

    /** The request with its query string {@linkplain #normalize normalised}; the request itself when nothing changes. */
    static jakarta.servlet.http.HttpServletRequest normalize(jakarta.servlet.http.HttpServletRequest req) {
        return QueryOptionRewrite.normalize(req, CollectionLiterals::normalize);
    }

    /** The expression with every {@code PropertyValues=[…]} outside a string literal in JSON form. */
    static String rewrite(String expression) {
        if (expression == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(expression.length());
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '\'') {
                int end = literalEnd(expression, i);
                if (end < 0) {
                    return expression;
                }
                out.append(expression, i, end + 1);
                i = end + 1;
                continue;
            }
            if (expression.startsWith("PropertyValues", i)) {
                int j = skipSpaces(expression, i + "PropertyValues".length());
                if (j < expression.length() && expression.charAt(j) == '=') {
                    int open = skipSpaces(expression, j + 1);
                    if (open < expression.length() && expression.charAt(open) == '[') {
                        StringBuilder array = new StringBuilder();
                        int close = array(expression, open, array);
                        if (close < 0) {
                            return expression;
                        }
                        out.append("PropertyValues=").append(array);
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /**
     * Copies the array starting at {@code open} into {@code out} with single-quoted elements as JSON strings; the
     * index of its closing bracket, or -1 when it is not a flat array of literals.
     */
    private static int array(String s, int open, StringBuilder out) {
        out.append('[');
        int i = skipSpaces(s, open + 1);
        if (i < s.length() && s.charAt(i) == ']') {
            out.append(']');
            return i;
        }
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = literalEnd(s, i);
                if (end < 0) {
                    return -1;
                }
                out.append(json(s.substring(i + 1, end).replace("''", "'")));
                i = end + 1;
            } else if (c == '"') {
                int end = jsonStringEnd(s, i);
                if (end < 0) {
                    return -1;
                }
                out.append(s, i, end + 1);
                i = end + 1;
            } else {
                int start = i;
                while (i < s.length() && ",] ".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                if (i == start) {
                    return -1;
                }
                out.append(s, start, i);
            }
            i = skipSpaces(s, i);
            if (i >= s.length()) {
                return -1;
            }
            if (s.charAt(i) == ']') {
                out.append(']');
                return i;
            }
            if (s.charAt(i) != ',') {
                return -1;
            }
            out.append(',');
            i = skipSpaces(s, i + 1);
        }
        return -1;
    }

    /** Index of the quote closing the OData string literal opened at {@code open} ({@code ''} is a quote), or -1. */
    private static int literalEnd(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            if (s.charAt(i) == '\'') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int jsonStringEnd(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static String json(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
