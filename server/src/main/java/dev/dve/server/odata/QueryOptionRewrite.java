package dev.dve.server.odata;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * A rewrite of some options of a raw (percent-encoded) query string before Olingo parses it, for spellings Dataverse
 * accepts and Olingo's parser does not. The options a rule leaves alone, and any option that is not valid
 * percent-encoding, pass on byte for byte, for Olingo to judge.
 */
final class QueryOptionRewrite {
    /** The new decoded value of an option, or null to keep the option as it was sent. */
    interface Rule {
        String rewrite(String name, String value);
    }

    private QueryOptionRewrite() {
    }

    static String apply(String rawQuery, Rule rule) {
        StringBuilder out = new StringBuilder(rawQuery.length());
        String[] options = rawQuery.split("&", -1);
        for (int i = 0; i < options.length; i++) {
            String option = options[i];
            int eq = option.indexOf('=');
            String rewritten = option;
            if (eq > 0) {
                String name = decode(option.substring(0, eq));
                String value = decode(option.substring(eq + 1));
                String replaced = name == null || value == null ? null : rule.rewrite(name, value);
                if (replaced != null && !replaced.equals(value)) {
                    rewritten = option.substring(0, eq + 1) + URLEncoder.encode(replaced, StandardCharsets.UTF_8).replace("+", "%20");
                }
            }
            out.append(i == 0 ? "" : "&").append(rewritten);
        }
        return out.toString();
    }

    /** The request with its query string normalised; the request itself when nothing changes. */
    static HttpServletRequest normalize(HttpServletRequest req, UnaryOperator<String> normalize) {
        String raw = req.getQueryString();
        String normalized = normalize.apply(raw);
        if (normalized == null || normalized.equals(raw)) {
            return req;
        }
        return new HttpServletRequestWrapper(req) {
            @Override
            public String getQueryString() {
                return normalized;
            }
        };
    }

    /** Percent-decoding of a URI component ({@code +} is a plus); null when the text is not valid percent-encoding. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
