package dev.dve.server.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of malformed Web API requests. Each category builds requests from a small grammar of what
 * clients send (queries, FetchXML, bodies, keys, headers, batches, tokens, XAML), then often mutates them: characters
 * inserted, deleted, duplicated, swapped or repeated, SQL metacharacters, unicode and control characters. A few
 * hand-written cases per category come first. The same seed gives the same requests in the same order.
 *
 * <p>Writes are built so that only a create can succeed: updates name a stale ETag (their bodies are then the only
 * thing mutated) or carry a property no entity has, deletes name a stale ETag or a missing row.
 */
final class MalformedRequests {
    static final String API = "/api/data/v9.2/";
    static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";
    static final String[] ACCOUNTS = {CONTOSO, "00000000-0000-0000-0000-00000000ac02", "00000000-0000-0000-0000-00000000ac03"};
    static final String[] CONTACTS = {"00000000-0000-0000-0000-00000000c001", "00000000-0000-0000-0000-00000000c002", "00000000-0000-0000-0000-00000000c003"};
    static final String MISSING = "00000000-0000-0000-0000-0000000fffff";
    /** A property no entity has: a body carrying it can never be written, whatever else a mutation does to the request. */
    static final String POISON = "{\"dve_fuzz_poison\":1,\"name\":\"poisoned\"}";
    static final String STALE_ETAG = "W/\"1\"";

    /** What to send. {@code target} starts with "/"; a raw request carries its whole text in {@code body}. */
    record Request(int index, String category, Kind kind, String method, String target, List<String[]> headers, byte[] body) {
        /** The request for a report, each part cut at {@code max} characters; the signed-in token is left out. */
        String describe(int max) {
            StringBuilder b = new StringBuilder("#").append(index).append(' ').append(category).append(' ');
            if (kind == Kind.RAW) {
                return b.append("raw ").append(printable(new String(body, StandardCharsets.ISO_8859_1).replaceAll("Bearer [\\w.-]{200,}", "Bearer <token>"), max)).toString();
            }
            b.append(method).append(' ').append(printable(target, max));
            for (String[] h : headers) {
                String value = h[0].equals("Authorization") && h[1].length() > 200 && h[1].matches("Bearer [\\w.-]+") ? "Bearer <token>" : h[1];
                b.append(" | ").append(h[0]).append(": ").append(printable(value, Math.min(max, 300)));
            }
            if (body != null) {
                b.append(" | body(").append(body.length).append(") ").append(printable(new String(body, StandardCharsets.UTF_8), max));
            }
            return b.toString();
        }
    }

    enum Kind {
        /** Through the JDK client when it accepts the URI and headers, otherwise as raw bytes. */
        HTTP,
        /** The body is the whole request, bytes as they are. */
        RAW,
        /** A workflow definition: created, then (when the create succeeded) activated. */
        XAML
    }

    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > max ? b + "…(" + s.length() + " chars)" : b.toString();
    }

    private final Random random;
    private final String token;
    private final String base;
    private final List<String> xamlSamples;
    private final List<Request> out = new ArrayList<>();
    private String category;

    /**
     * @param base  the server's base URL (absolute batch part URLs are built on it)
     * @param token a valid bearer token (most requests are signed in; the token category mangles it)
     */
    MalformedRequests(long seed, String base, String token) {
        this.random = new Random(seed);
        this.base = base;
        this.token = token;
        this.xamlSamples = List.of(sample("append-a.xaml"), sample("create-task.xaml"), sample("set-description.xaml"));
    }

    private static String sample(String name) {
        try (InputStream in = MalformedRequests.class.getClassLoader().getResourceAsStream("samples/workflows/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** About {@code total} requests, spread over the categories by weight, shuffled with the seed. */
    List<Request> generate(int total) {
        Map<String, Object[]> categories = new LinkedHashMap<>();
        categories.put("filter", new Object[] {130, (Runnable) this::filter});
        categories.put("orderby", new Object[] {45, (Runnable) this::orderBy});
        categories.put("select", new Object[] {40, (Runnable) this::select});
        categories.put("expand", new Object[] {70, (Runnable) this::expand});
        categories.put("apply", new Object[] {45, (Runnable) this::apply});
        categories.put("paging", new Object[] {50, (Runnable) this::paging});
        categories.put("fetchxml", new Object[] {130, (Runnable) this::fetchXml});
        categories.put("json", new Object[] {130, (Runnable) this::json});
        categories.put("keys", new Object[] {60, (Runnable) this::keys});
        categories.put("headers", new Object[] {75, (Runnable) this::headers});
        categories.put("batch", new Object[] {55, (Runnable) this::batch});
        categories.put("tokens", new Object[] {35, (Runnable) this::tokens});
        categories.put("wire", new Object[] {40, (Runnable) this::wire});
        categories.put("xaml", new Object[] {25, (Runnable) this::xaml});
        int weights = categories.values().stream().mapToInt(v -> (Integer) v[0]).sum();
        for (Map.Entry<String, Object[]> c : categories.entrySet()) {
            category = c.getKey();
            handWritten(category);
            int n = Math.max(1, total * (Integer) c.getValue()[0] / weights);
            int start = (int) out.stream().filter(r -> r.category().equals(c.getKey())).count();
            for (int i = start; i < n; i++) {
                ((Runnable) c.getValue()[1]).run();
            }
        }
        Collections.shuffle(out, random);
        List<Request> numbered = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            Request r = out.get(i);
            numbered.add(new Request(i, r.category(), r.kind(), r.method(), r.target(), r.headers(), r.body()));
        }
        return numbered;
    }

    // ---------------------------------------------------------------------------------------------- building blocks

    private void add(String method, String target, byte[] body, String... headers) {
        List<String[]> h = new ArrayList<>();
        h.add(new String[] {"Authorization", "Bearer " + token});
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(new String[] {headers[i], headers[i + 1]});
        }
        if (body != null && h.stream().noneMatch(x -> x[0].equalsIgnoreCase("Content-Type"))) {
            h.add(new String[] {"Content-Type", "application/json; charset=utf-8"});
        }
        out.add(new Request(-1, category, Kind.HTTP, method, target, h, body));
    }

    private void get(String target, String... headers) {
        add("GET", target, null, headers);
    }

    private void addWithHeaders(String method, String target, byte[] body, List<String[]> headers) {
        out.add(new Request(-1, category, Kind.HTTP, method, target, headers, body));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <T> T pick(T[] items) {
        return items[random.nextInt(items.length)];
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private static final String[] NASTY = {"'", "''", "\"", "(", ")", ")))", "((((", " and ", " or ", " not ", " eq ", " ", "/", "//", "$",
        "$filter=", "@", "@p1", "%", "%00", "%2e%2e", "%27", "%zz", "--", ";", ",", "*", "[", "]", "{", "}", "<", ">", "&", "=", "#", "?",
        "null", "1e999", "-0", "99999999999999999999999", "-2147483649", "NaN", "INF", "'; DROP TABLE accountbase; --", "' OR '1'='1",
        "\\u0000", "${jndi:ldap://x/a}", "../../", "%c0%ae", "\r\n", "\u0000", "\uD83D\uDE00", "\uD800", "\uFEFF", "\u202E", "x".repeat(300),
        "Microsoft.Dynamics.CRM.", "$ref", "$count", "$value", "$metadata", "guid'", "datetime'", "\\", "`", "|", "^", "~", "+", "\t"};
    private static final String SQL = "'\";-/*%_[]\\`";
    private static final String[] UNICODE = {"é", "ß", "漢", "\u202E", "\u200B", "\uFEFF", "\uFFFF", "\uD83D\uDE00", "\uD800", "\uDC00", "Ω", "ñ", "\u0301"};

    private String randomChar() {
        int kind = random.nextInt(10);
        if (kind < 4) {
            return String.valueOf((char) (0x20 + random.nextInt(0x5f)));
        }
        if (kind < 6) {
            return String.valueOf(SQL.charAt(random.nextInt(SQL.length())));
        }
        if (kind < 8) {
            return pick(UNICODE);
        }
        char control = random.nextBoolean() ? (char) random.nextInt(0x20) : pick(new Character[] {'\u007f', '\u0085', '\u00a0'});
        return String.valueOf(control);
    }

    /** One to three random edits. */
    private String mutate(String s) {
        StringBuilder b = new StringBuilder(s);
        int ops = 1 + random.nextInt(3);
        for (int i = 0; i < ops; i++) {
            int at = b.length() == 0 ? 0 : random.nextInt(b.length() + 1);
            int last = Math.max(0, Math.min(at, b.length() - 1));
            switch (random.nextInt(9)) {
                case 0, 1 -> b.insert(at, pick(NASTY));
                case 2 -> b.insert(at, randomChar());
                case 3 -> {
                    if (b.length() > 0) {
                        b.deleteCharAt(last);
                    }
                }
                case 4 -> {
                    if (b.length() > 0) {
                        int from = random.nextInt(b.length());
                        int to = Math.min(b.length(), from + 1 + random.nextInt(20));
                        b.insert(to, b.substring(from, to));
                    }
                }
                case 5 -> {
                    if (b.length() > 1) {
                        int p = random.nextInt(b.length() - 1);
                        char c = b.charAt(p);
                        b.setCharAt(p, b.charAt(p + 1));
                        b.setCharAt(p + 1, c);
                    }
                }
                case 6 -> {
                    if (b.length() > 0) {
                        b.replace(last, last + 1, randomChar());
                    }
                }
                case 7 -> b.setLength(at);
                default -> {
                    if (b.length() > 0) {
                        int from = random.nextInt(b.length());
                        int to = Math.min(b.length(), from + 1 + random.nextInt(8));
                        b.insert(to, b.substring(from, to).repeat(2 + random.nextInt(200)));
                    }
                }
            }
        }
        return b.toString();
    }

    private String maybeMutate(String s, double p) {
        return chance(p) ? mutate(s) : s;
    }

    /** Percent-encoding as clients do it: mostly full, sometimes only what a URI cannot hold, rarely none at all. */
    private String encode(String value) {
        int how = random.nextInt(20);
        if (how < 15) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
        if (how < 19) {
            StringBuilder b = new StringBuilder();
            for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
                int c = x & 0xff;
                if (c <= 0x20 || c >= 0x7f || "\"#%&+<>[\\]^`{|}".indexOf(c) >= 0) {
                    b.append(String.format("%%%02X", c));
                } else {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
        return value;
    }

    private String set() {
        int r = random.nextInt(20);
        return r < 16 ? "accounts" : r < 17 ? "contacts" : r < 18 ? "tasks" : r < 19 ? "systemusers" : pick(new String[] {"nosuchthings", "Accounts", "account", "accounts(" + CONTOSO + ")/contact_customer_accounts"});
    }

    // ---------------------------------------------------------------------------------------------- $filter grammar

    private static final String[][] PROPS = {
        {"name", "s"}, {"accountnumber", "s"}, {"description", "s"}, {"telephone1", "s"}, {"emailaddress1", "s"}, {"address1_city", "s"},
        {"creditlimit", "m"}, {"creditonhold", "b"}, {"numberofemployees", "i"}, {"revenue", "m"}, {"customertypecode", "i"},
        {"industrycode", "i"}, {"statecode", "i"}, {"statuscode", "i"}, {"createdon", "d"}, {"modifiedon", "d"}, {"versionnumber", "i"},
        {"accountid", "g"}, {"_primarycontactid_value", "g"}, {"_parentaccountid_value", "g"}, {"_ownerid_value", "g"}, {"_createdby_value", "g"},
        {"nosuchattribute", "s"}, {"Name", "s"}, {"primarycontactid", "g"}, {"fullname", "s"}, {"lastname", "s"}, {"birthdate", "d"},
    };
    private static final String[] CONTACT_PROPS = {"fullname", "lastname", "firstname", "jobtitle", "birthdate", "annualincome", "emailaddress1", "nosuch"};
    private static final String[] OPERATORS = {"eq", "ne", "gt", "ge", "lt", "le", "eq", "eq", "ne", "eq", "ne", "gt", "lt", "eq", "eq", "ne", "ge", "le",
        "has", "in", "add", "mul", "EQ", "like", "=="};
    private static final String[] METHODS = {"contains", "startswith", "endswith", "tolower", "toupper", "length", "indexof", "substring", "trim",
        "concat", "year", "month", "day", "hour", "minute", "second", "round", "floor", "ceiling", "now", "cast", "isof", "matchesPattern",
        "fractionalseconds", "totaloffsetminutes", "date", "time", "geo.distance", "geo.intersects", "maxdatetime", "mindatetime", "totalseconds", "nosuchfunction"};
    private static final String[] QUERY_FUNCTIONS = {"In", "NotIn", "Between", "NotBetween", "LastXDays", "NextXHours", "OlderThanXMonths", "On",
        "OnOrAfter", "Today", "ThisYear", "EqualUserId", "NotEqualUserId", "EqualBusinessId", "Under", "Above", "UnderOrEqual", "NotUnder",
        "InFiscalPeriodAndYear", "LastFiscalYear", "ContainValues", "DoesNotContainValues", "Contains", "Nope", "lastxdays"};
    private static final String[] COLLECTIONS = {"Account_Tasks", "contact_customer_accounts", "account_parent_account", "Account_Emails", "nosuchcollection"};

    private String literal(String type) {
        int r = random.nextInt(14);
        if (r == 0) {
            return pick(new String[] {"null", "true", "false", "@p1", "-", "''", "'", "1e999", "99999999999999999999999999", "-9223372036854775809",
                "duration'P1D'", "geography'POINT(1 2)'", "binary'AAA='", "[1,2]", "{}", "guid'" + CONTOSO + "'", "datetime'2020-01-01'", "$it", "$root"});
        }
        return switch (type) {
            case "s" -> "'" + stringValue().replace("'", random.nextBoolean() ? "''" : "'") + "'";
            case "i" -> pick(new String[] {"0", "1", "-1", "2147483647", "2147483648", "-2147483648", "007", "1.5", "1e3", "0x1F", String.valueOf(random.nextInt())});
            case "m" -> pick(new String[] {"0", "100.5", "-1", "1.5M", "79228162514264337593543950336", "1e400", "0.00000000000000000001", "NaN", "INF", "-INF", "12,5"});
            case "b" -> pick(new String[] {"true", "false", "1", "0", "'true'", "TRUE"});
            case "d" -> pick(new String[] {"2024-01-31", "2024-01-31T10:00:00Z", "2024-13-45", "2024-01-31T25:00:00Z", "9999-12-31T23:59:59.9999999Z",
                "0001-01-01", "-0001-01-01", "2024-02-30", "'2024-01-31'", "2024-01-31T10:00:00+14:01", "now()", "20240131"});
            default -> pick(new String[] {CONTOSO, MISSING, "00000000-0000-0000-0000-00000000C001", "'" + CONTOSO + "'", "{" + CONTOSO + "}",
                CONTOSO.substring(1), CONTOSO + "0", "not-a-guid", "00000000000000000000000000000000", "g" + CONTOSO.substring(1)});
        };
    }

    private String stringValue() {
        int r = random.nextInt(12);
        return switch (r) {
            case 0 -> "";
            case 1 -> "Contoso Ltd";
            case 2 -> "%";
            case 3 -> "_";
            case 4 -> "[a-z]%";
            case 5 -> "O'Bryan";
            case 6 -> "x".repeat(1 + random.nextInt(2000));
            case 7 -> pick(UNICODE) + pick(UNICODE);
            case 8 -> "'; DELETE FROM accountbase; --";
            case 9 -> "\u0000\u0001\u001f";
            case 10 -> "\\";
            default -> "C" + random.nextInt(100);
        };
    }

    private String[] prop() {
        return PROPS[random.nextInt(PROPS.length)];
    }

    private String comparison() {
        String[] p = prop();
        String op = pick(OPERATORS);
        int shape = random.nextInt(10);
        if (shape == 0) {
            return literal(p[1]) + " " + op + " " + p[0];
        }
        if (shape == 1) {
            return p[0] + " " + op + " " + prop()[0];
        }
        return p[0] + " " + op + " " + literal(p[1]);
    }

    private String methodCall() {
        String m = pick(METHODS);
        int n = random.nextInt(4);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            args.add(random.nextBoolean() ? prop()[0] : literal(pick(new String[] {"s", "i", "d"})));
        }
        String call = m + "(" + String.join(random.nextInt(5) == 0 ? " , " : ",", args) + ")";
        return random.nextBoolean() ? call : call + " " + pick(OPERATORS) + " " + literal(pick(new String[] {"s", "i", "b"}));
    }

    private String lambda(int depth) {
        String nav = pick(COLLECTIONS);
        String v = pick(new String[] {"t", "t", "t", "x", "c", "$it", "1a", ""});
        if (random.nextInt(5) == 0) {
            return nav + "/" + pick(new String[] {"any()", "all()", "any", "count() gt 1", "$count gt 0"});
        }
        String body = v + "/" + pick(new String[] {"subject", "statecode", "fullname", "lastname", "name", "nosuch"}) + " " + pick(OPERATORS) + " "
                + literal(pick(new String[] {"s", "i"}));
        if (depth > 0 && random.nextBoolean()) {
            body = body + " and " + filterExpression(depth - 1);
        }
        return nav + "/" + pick(new String[] {"any", "all", "any", "all", "any", "ANY", "some"}) + "(" + v + ":" + body + ")";
    }

    private String queryFunction() {
        String name = pick(QUERY_FUNCTIONS);
        StringBuilder b = new StringBuilder(random.nextInt(8) == 0 ? "" : "Microsoft.Dynamics.CRM.").append(name).append('(');
        if (random.nextInt(6) != 0) {
            b.append("PropertyName=").append(random.nextInt(6) == 0 ? prop()[0] : "'" + prop()[0] + "'");
        }
        switch (random.nextInt(5)) {
            case 0 -> b.append(",PropertyValue=").append(literal(pick(new String[] {"s", "i", "d"})));
            case 1 -> b.append(",PropertyValues=").append(pick(new String[] {"[\"1\",\"2\"]", "['a','b']", "[]", "[1", "\"x\"", "[[[]]]", "[\"" + CONTOSO + "\"]"}));
            case 2 -> b.append(",PropertyValue1=").append(literal("i")).append(",PropertyValue2=").append(literal("i"));
            case 3 -> b.append(",Nope=1");
            default -> {
            }
        }
        return b.append(')').toString();
    }

    private String pathComparison() {
        int hops = random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hops; i++) {
            b.append(i % 2 == 0 ? "primarycontactid/" : "parentcustomerid_account/");
        }
        b.append(pick(new String[] {"primarycontactid/", "createdby/", "ownerid/", "nosuchnav/", "parentaccountid/"}));
        b.append(pick(CONTACT_PROPS)).append(' ').append(pick(OPERATORS)).append(' ').append(literal("s"));
        return b.toString();
    }

    private String filterExpression(int depth) {
        int k = random.nextInt(depth <= 0 ? 4 : 11);
        return switch (k) {
            case 0, 1 -> comparison();
            case 2 -> methodCall();
            case 3 -> pathComparison();
            case 4, 5 -> filterExpression(depth - 1) + pick(new String[] {" and ", " or ", " and ", " AND ", " xor ", "  and  "}) + filterExpression(depth - 1);
            case 6 -> "not (" + filterExpression(depth - 1) + ")";
            case 7 -> "(" + filterExpression(depth - 1) + ")";
            case 8 -> lambda(depth - 1);
            case 9 -> queryFunction();
            default -> "not " + filterExpression(depth - 1);
        };
    }

    /** A query string: options joined with {@code &}, values encoded; aliases get a value now and then. */
    private String query(String... nameValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            b.append(b.length() == 0 ? "?" : "&").append(nameValues[i]).append('=').append(encode(nameValues[i + 1]));
        }
        String all = String.join(" ", nameValues);
        for (String alias : new String[] {"@p1", "@p2"}) {
            if (all.contains(alias) && random.nextInt(4) != 0) {
                b.append('&').append(alias).append('=').append(encode(literal(pick(new String[] {"s", "i", "g"})) + (random.nextInt(6) == 0 ? "(" : "")));
            }
        }
        return b.toString();
    }

    private void filter() {
        String expression = maybeMutate(filterExpression(1 + random.nextInt(3)), 0.35);
        String select = random.nextBoolean() ? "name" : "name,accountnumber";
        String target = set();
        if (random.nextInt(10) == 0) {
            get(API + target + "/$count" + query("$filter", expression));
        } else {
            get(API + target + query("$select", select, "$filter", expression, "$top", "3"));
        }
    }

    private void orderBy() {
        int n = 1 + random.nextInt(4);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String item = switch (random.nextInt(8)) {
                case 0 -> "primarycontactid/fullname";
                case 1 -> methodCall();
                case 2 -> pick(new String[] {"1", "@p1", "$it", "*", "name asc desc", "", "name/$count", "Account_Tasks/$count"});
                default -> prop()[0];
            };
            items.add(item + pick(new String[] {"", "", " asc", " desc", " DESC", " ascending", "  asc", " asc,"}));
        }
        get(API + set() + query("$select", "name", "$orderby", maybeMutate(String.join(",", items), 0.5), "$top", "3"));
    }

    private void select() {
        int n = random.nextInt(6) == 0 ? 200 + random.nextInt(400) : 1 + random.nextInt(6);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(random.nextInt(8) == 0 ? pick(new String[] {"*", "$ref", "primarycontactid/fullname", "Microsoft.Dynamics.CRM.*", "primarycontactid",
                "contact_customer_accounts", "name($select=x)", "@odata.etag", "_primarycontactid_value@OData.Community.Display.V1.FormattedValue", "name,"}) : prop()[0]);
        }
        get(API + set() + query("$select", maybeMutate(String.join(",", items), 0.5), "$top", "2"));
    }

    private static final String[] NAVS = {"primarycontactid", "createdby", "modifiedby", "ownerid", "owninguser", "parentaccountid",
        "contact_customer_accounts", "Account_Tasks", "account_parent_account", "owningbusinessunit", "nosuchnav", "*", "primarycontactid/$ref",
        "contact_customer_accounts/$ref", "contact_customer_accounts/$count", "createdby/$ref", "Microsoft.Dynamics.CRM.account/primarycontactid"};

    private String expandItem(int depth) {
        StringBuilder b = new StringBuilder(pick(NAVS));
        if (random.nextInt(3) != 0) {
            List<String> options = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                options.add(switch (random.nextInt(11)) {
                    case 0, 1 -> "$select=" + pick(new String[] {"fullname", "name", "subject", "fullname,lastname", "*", "nosuch", ""});
                    case 2 -> "$filter=" + filterExpression(1);
                    case 3 -> "$orderby=" + pick(new String[] {"createdon desc", "fullname", "nosuch", "1"});
                    case 4 -> "$top=" + pick(new String[] {"1", "0", "-1", "5000", "5001", "x", "99999999999"});
                    case 5, 6 -> depth > 0 ? "$expand=" + expandItem(depth - 1) : "$select=fullname";
                    case 7 -> "$skip=1";
                    case 8 -> "$count=true";
                    case 9 -> "$levels=" + pick(new String[] {"max", "2", "0", "-1"});
                    default -> pick(new String[] {"$search=x", "$apply=groupby((name))", "$nosuch=1", "", "$select"});
                });
            }
            b.append('(').append(String.join(pick(new String[] {";", ";", ",", "; "}), options)).append(')');
        }
        return b.toString();
    }

    private void expand() {
        int n = random.nextInt(10) == 0 ? 10 + random.nextInt(10) : 1 + random.nextInt(3);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(expandItem(random.nextInt(4)));
        }
        String target = random.nextInt(4) == 0 ? API + "accounts(" + CONTOSO + ")" : API + set();
        get(target + query("$select", "name", "$expand", maybeMutate(String.join(",", items), 0.4)));
    }

    private String aggregate() {
        return pick(new String[] {"creditlimit", "revenue", "numberofemployees", "name", "nosuch", "$count", "accountid"})
                + pick(new String[] {" with sum", " with average", " with min", " with max", " with countdistinct", " with count", " with median", "", " with"})
                + pick(new String[] {" as total", " as x", " as", "", " as name", " as 1"});
    }

    private String transformation(int depth) {
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> "groupby((" + String.join(",", Collections.nCopies(1 + random.nextInt(3), prop()[0])) + ")"
                    + (random.nextBoolean() ? ",aggregate(" + aggregate() + ")" : "") + ")";
            case 3, 4 -> "aggregate(" + aggregate() + (random.nextBoolean() ? "," + aggregate() : "") + ")";
            case 5 -> "filter(" + filterExpression(1) + ")" + (depth > 0 ? "/" + transformation(depth - 1) : "");
            case 6 -> "groupby((primarycontactid/fullname),aggregate($count as c))";
            case 7 -> pick(new String[] {"topcount(5,creditlimit)", "bottomsum(2,revenue)", "compute(creditlimit mul 2 as c)", "identity", "concat(identity,identity)",
                "expand(primarycontactid)", "groupby(())", "groupby((name),topcount(1,revenue))", "search(x)", "nosuch(1)"});
            default -> transformation(Math.max(0, depth - 1)) + "/" + transformation(0);
        };
    }

    private void apply() {
        get(API + set() + query("$apply", maybeMutate(transformation(2), 0.5)));
    }

    private static final String[] NUMBERS = {"-1", "0", "1", "2", "4999", "5000", "5001", "2147483647", "2147483648", "9223372036854775808", "1e3",
        "0x10", "", " 1", "1 ", "abc", "true", "null", "'5'", "+5", "05", "1.0", "\u0661"};

    private void paging() {
        String target = API + set();
        switch (random.nextInt(6)) {
            case 0 -> get(target + query("$select", "name", "$top", pick(NUMBERS)));
            case 1 -> get(target + query("$select", "name", "$skip", pick(NUMBERS)));
            case 2 -> get(target + query("$select", "name", "$count", pick(new String[] {"true", "false", "yes", "1", "", "TRUE", "null"}), "$top", pick(NUMBERS)));
            case 3 -> {
                String cookie = "<cookie pagenumber=\"2\" pagingcookie=\"%3ccookie%20page%3d%221%22%3e%3caccountid%20last%3d%22%7b" + CONTOSO.toUpperCase()
                        + "%7d%22%20first%3d%22%7b" + CONTOSO.toUpperCase() + "%7d%22%20%2f%3e%3c%2fcookie%3e\" istracking=\"False\" />";
                get(target + query("$select", "name", "$skiptoken", maybeMutate(cookie, 0.8)), "Prefer", "odata.maxpagesize=1");
            }
            case 4 -> get(target + query("$select", "name"), "Prefer", "odata.maxpagesize=" + pick(NUMBERS));
            default -> get(target + query(pick(new String[] {"$search", "$format", "$levels", "$index", "$schemaversion", "$deltatoken", "$compute", "$id", "$top", "$TOP", "$", "$$"}),
                    maybeMutate(pick(new String[] {"x", "json", "xml", "atom", "1", "max", "application/json;odata.metadata=full"}), 0.3)));
        }
    }

    // ---------------------------------------------------------------------------------------------- FetchXML

    private static final String[] FETCH_OPERATORS = {"eq", "ne", "gt", "ge", "lt", "le", "like", "not-like", "in", "not-in", "between", "not-between",
        "null", "not-null", "begins-with", "not-begin-with", "ends-with", "on", "on-or-after", "on-or-before", "yesterday", "today", "last-seven-days",
        "last-x-days", "next-x-hours", "olderthan-x-months", "eq-userid", "ne-userid", "eq-businessid", "under", "above", "eq-or-under",
        "contain-values", "in-fiscal-year", "in-fiscal-period-and-year", "nosuch-op", "", "EQ"};

    private String xmlValue() {
        String v = switch (random.nextInt(8)) {
            case 0 -> literal("i");
            case 1 -> literal("d");
            case 2 -> literal("g");
            case 3 -> literal("m");
            default -> stringValue();
        };
        v = v.length() > 300 ? v.substring(0, 300) : v;
        return random.nextInt(5) == 0 ? v : v.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;");
    }

    private String condition() {
        String op = pick(FETCH_OPERATORS);
        StringBuilder b = new StringBuilder("<condition attribute='").append(random.nextInt(10) == 0 ? pick(new String[] {"nosuch", "", "c.fullname", "NAME"}) : prop()[0])
                .append("' operator='").append(op).append('\'');
        if (random.nextInt(4) != 0) {
            b.append(" value='").append(xmlValue()).append('\'');
        }
        if (random.nextInt(10) == 0) {
            b.append(pick(new String[] {" entityname='c'", " valueof='name'", " uiname='x'", " nosuchattr='1'", " value='1' value='2'"}));
        }
        if (op.contains("in") || op.contains("between") || random.nextInt(8) == 0) {
            b.append('>');
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                b.append("<value>").append(xmlValue()).append("</value>");
            }
            return b.append("</condition>").toString();
        }
        return b.append("/>").toString();
    }

    private String fetchFilter(int depth) {
        StringBuilder b = new StringBuilder("<filter").append(random.nextBoolean() ? "" : " type='" + pick(new String[] {"and", "or", "xor", "", "AND"}) + "'").append('>');
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            b.append(depth > 0 && random.nextInt(3) == 0 ? fetchFilter(depth - 1) : condition());
        }
        return b.append("</filter>").toString();
    }

    private String linkEntity(int depth) {
        boolean toContact = random.nextBoolean();
        StringBuilder b = new StringBuilder("<link-entity name='").append(toContact ? "contact" : pick(new String[] {"account", "systemuser", "nosuch", "task"}))
                .append("' from='").append(toContact ? "parentcustomerid" : pick(new String[] {"accountid", "systemuserid", "regardingobjectid", "nosuch"}))
                .append("' to='").append(pick(new String[] {"accountid", "primarycontactid", "ownerid", "creditlimit", "nosuch"})).append('\'');
        if (random.nextBoolean()) {
            b.append(" alias='").append(pick(new String[] {"c", "l" + depth, "", "a b", "x'y", "c"})).append('\'');
        }
        if (random.nextBoolean()) {
            b.append(" link-type='").append(pick(new String[] {"inner", "outer", "any", "not any", "exists", "in", "matchfirstrowusingcrossapply", "nosuch"})).append('\'');
        }
        b.append('>');
        if (random.nextBoolean()) {
            b.append("<attribute name='").append(pick(CONTACT_PROPS)).append("'/>");
        }
        if (random.nextBoolean()) {
            b.append(fetchFilter(1));
        }
        if (depth > 0 && random.nextBoolean()) {
            b.append(linkEntity(depth - 1));
        }
        return b.append("</link-entity>").toString();
    }

    private String fetchDocument() {
        StringBuilder b = new StringBuilder("<fetch");
        String[] fetchAttrs = {" top='" + pick(NUMBERS) + "'", " count='" + pick(NUMBERS) + "'", " page='" + pick(NUMBERS) + "'", " distinct='true'",
            " aggregate='true'", " returntotalrecordcount='true'", " no-lock='true'", " version='1.0'", " mapping='logical'", " output-format='xml-platform'",
            " paging-cookie='&lt;cookie page=&quot;1&quot;&gt;&lt;accountid last=&quot;{" + CONTOSO + "}&quot; /&gt;&lt;/cookie&gt;'", " paging-cookie='garbage'",
            " latematerialize='true'", " options='x'", " aggregatelimit='" + pick(NUMBERS) + "'", " nosuch='1'", " top='5' top='6'"};
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            b.append(pick(fetchAttrs));
        }
        b.append("><entity name='").append(random.nextInt(10) == 0 ? pick(new String[] {"contact", "nosuch", "ACCOUNT", "", "account'"}) : "account").append("'>");
        int attrs = random.nextInt(4);
        for (int i = 0; i < attrs; i++) {
            b.append("<attribute name='").append(prop()[0]).append('\'');
            if (random.nextInt(4) == 0) {
                b.append(" alias='").append(pick(new String[] {"a", "x", "", "a a"})).append('\'');
            }
            if (random.nextInt(4) == 0) {
                b.append(" aggregate='").append(pick(new String[] {"sum", "avg", "min", "max", "count", "countcolumn", "nosuch"})).append('\'');
            }
            if (random.nextInt(6) == 0) {
                b.append(" groupby='true'").append(random.nextBoolean() ? " dategrouping='" + pick(new String[] {"year", "month", "fiscal-year", "nosuch"}) + "'" : "");
            }
            b.append("/>");
        }
        if (random.nextInt(6) == 0) {
            b.append("<all-attributes/>");
        }
        if (random.nextBoolean()) {
            b.append(fetchFilter(2));
        }
        if (random.nextInt(3) == 0) {
            b.append(linkEntity(random.nextInt(3)));
        }
        if (random.nextInt(3) == 0) {
            b.append("<order attribute='").append(prop()[0]).append("'").append(random.nextBoolean() ? " descending='" + pick(new String[] {"true", "false", "yes", ""}) + "'" : "")
                    .append(random.nextInt(5) == 0 ? " alias='x'" : "").append(random.nextInt(5) == 0 ? " entityname='c'" : "").append("/>");
        }
        return b.append("</entity></fetch>").toString();
    }

    /** Structural damage a text edit rarely produces. */
    private String breakXml(String xml) {
        return switch (random.nextInt(14)) {
            case 0 -> xml.replaceFirst("</entity>", "");
            case 1 -> xml.replace("<entity", "<entitee");
            case 2 -> "<!DOCTYPE fetch [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + xml.replace("<entity name='account'>", "<entity name='account'>&x;");
            case 3 -> "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                    + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>" + xml.replace("value='", "value='&lol3;");
            case 4 -> xml.replace("<fetch", "<?xml version='1.0' encoding='UTF-16'?><fetch");
            case 5 -> xml + "<fetch/>";
            case 6 -> xml.replace("</entity>", "<![CDATA[<filter>]]></entity>");
            case 7 -> xml.replace("<fetch", "<x:fetch xmlns:x='urn:x'").replace("</fetch>", "</x:fetch>");
            case 8 -> xml.replace("<entity name='account'>", "<entity name='account'>" + "<filter>".repeat(60) + "<condition attribute='name' operator='eq' value='x'/>"
                    + "</filter>".repeat(60));
            case 9 -> xml.replace("<entity name='account'>", "<entity name='account'>" + "<link-entity name='contact' from='parentcustomerid' to='accountid'>".repeat(12)
                    + "</link-entity>".repeat(12));
            case 10 -> xml.replace("<entity name='account'>", "<entity name='account'>" + linkEntityRepeat(16 + random.nextInt(10)));
            case 11 -> xml.replace("'", "\"").replaceFirst("\"", "'");
            case 12 -> xml.replace("<entity", "<!-- --><entity").replace("</fetch>", "</fetch><!--");
            default -> xml.replace("<entity name='account'>", "<entity name='account'><unknown-element a='1'><b/></unknown-element>");
        };
    }

    private String linkEntityRepeat(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("<link-entity name='contact' from='parentcustomerid' to='accountid' alias='c").append(i).append("' link-type='outer'/>");
        }
        return b.toString();
    }

    private void fetchXml() {
        String xml = fetchDocument();
        int how = random.nextInt(10);
        if (how < 4) {
            xml = mutate(xml);
        } else if (how < 8) {
            xml = breakXml(xml);
        }
        if (random.nextInt(25) == 0) {
            get(API + pick(new String[] {"accounts", "accounts", "contacts"}) + query(pick(new String[] {"savedQuery", "userQuery"}),
                    maybeMutate(pick(new String[] {CONTOSO, MISSING, "x", "", "00000000-0000-0000-0000-000000000000"}), 0.3)));
            return;
        }
        String extra = random.nextInt(8) == 0 ? "&" + pick(new String[] {"$select=name", "$filter=name%20eq%20'x'", "$top=1", "$count=true", "fetchXml=" + encode("<fetch/>")}) : "";
        get(API + (random.nextInt(10) == 0 ? "contacts" : "accounts") + "?fetchXml=" + encode(xml) + extra,
                "Prefer", pick(new String[] {"odata.include-annotations=\"*\"", "odata.include-annotations=\"Microsoft.Dynamics.CRM.fetchxmlpagingcookie\"", "odata.maxpagesize=2"}));
    }

    // ---------------------------------------------------------------------------------------------- JSON bodies

    private String jsonString() {
        String s = switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> "\\u0000\\ud800";
            case 2 -> "x".repeat(200 + random.nextInt(2000));
            case 3 -> "\\\"quoted\\\" \\\\ back";
            case 4 -> "Fuzz " + pick(UNICODE);
            case 5 -> "'; DROP TABLE contactbase; --";
            default -> "Fuzz " + random.nextInt(1000);
        };
        return "\"" + s + "\"";
    }

    private String jsonValue(String type) {
        if (random.nextInt(10) == 0) {
            return pick(new String[] {"null", "true", "\"\"", "[]", "{}", "1e400", "-0", "99999999999999999999999999", "\"" + CONTOSO + "\"", "[1,2]", "{\"a\":1}",
                "NaN", "Infinity", "0x10", "01", "1.", ".5", "\"1\"", "\"true\""});
        }
        return switch (type) {
            case "s" -> jsonString();
            case "i" -> pick(new String[] {"1", "2", "3", "0", "-1", "2147483648", "100000", "1.5"});
            case "m" -> pick(new String[] {"100.5", "0", "-1", "1000000000000000", "922337203685477.5807", "1e10", "0.00001"});
            case "b" -> pick(new String[] {"true", "false"});
            case "d" -> pick(new String[] {"\"1980-01-01\"", "\"2024-02-30\"", "\"1980-01-01T00:00:00Z\"", "\"yesterday\"", "\"0000-00-00\""});
            default -> "\"" + CONTOSO + "\"";
        };
    }

    private String accountBody() {
        String[][] fields = {{"name", "s"}, {"accountnumber", "s"}, {"description", "s"}, {"telephone1", "s"}, {"emailaddress1", "s"}, {"websiteurl", "s"},
            {"address1_city", "s"}, {"creditlimit", "m"}, {"creditonhold", "b"}, {"numberofemployees", "i"}, {"revenue", "m"}, {"customertypecode", "i"},
            {"industrycode", "i"}, {"statecode", "i"}, {"statuscode", "i"}};
        return object(fields, new String[] {"\"primarycontactid@odata.bind\":\"/contacts(" + CONTACTS[0] + ")\"",
            "\"parentaccountid@odata.bind\":\"/accounts(" + ACCOUNTS[1] + ")\"", "\"ownerid@odata.bind\":\"/systemusers(00000000-0000-0000-0000-000000000102)\""});
    }

    private String contactBody() {
        String[][] fields = {{"lastname", "s"}, {"firstname", "s"}, {"jobtitle", "s"}, {"birthdate", "d"}, {"annualincome", "m"}, {"emailaddress1", "s"},
            {"preferredcontactmethods", "s"}, {"description", "s"}};
        return object(fields, new String[] {"\"parentcustomerid_account@odata.bind\":\"/accounts(" + CONTOSO + ")\"",
            "\"parentcustomerid_contact@odata.bind\":\"" + base + API + "contacts(" + CONTACTS[1] + ")\""});
    }

    private String object(String[][] fields, String[] binds) {
        List<String> members = new ArrayList<>();
        members.add("\"" + fields[0][0] + "\":" + jsonValue(fields[0][1]));
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            String[] f = fields[random.nextInt(fields.length)];
            members.add("\"" + f[0] + "\":" + jsonValue(f[1]));
        }
        if (random.nextInt(3) == 0) {
            members.add(pick(binds));
        }
        switch (random.nextInt(12)) {
            case 0 -> members.add("\"nosuchproperty\":1");
            case 1 -> members.add("\"" + pick(new String[] {"primarycontactid", "parentcustomerid_account", "ownerid", "nosuch"}) + "@odata.bind\":"
                    + pick(new String[] {"\"/contacts(123)\"", "\"garbage\"", "null", "1", "[\"/contacts(" + CONTACTS[0] + ")\"]", "\"$1\"", "\"/contacts(" + MISSING + ")\"",
                        "\"http://evil.example/api/data/v9.2/contacts(" + CONTACTS[0] + ")\"", "\"/accounts(" + CONTOSO + ")\"", "\"contacts(" + CONTACTS[0] + ")/$ref\"", "\"\"", "{}"}));
            case 2 -> members.add("\"@odata.type\":" + pick(new String[] {"\"Microsoft.Dynamics.CRM.contact\"", "\"#x\"", "1", "null"}));
            case 3 -> members.add("\"_primarycontactid_value\":\"" + CONTACTS[0] + "\"");
            case 4 -> members.add("\"contact_customer_accounts\":" + pick(new String[] {"1", "{}", "[1]", "\"x\""}));
            case 5 -> members.add("\"createdon\":\"2020-01-01T00:00:00Z\"");
            default -> {
            }
        }
        return "{" + String.join(",", members) + "}";
    }

    /** Damage to a JSON text beyond a character edit. */
    private String breakJson(String json) {
        return switch (random.nextInt(16)) {
            case 0 -> json.substring(0, random.nextInt(json.length()));
            case 1 -> "{\"name\":" + "[".repeat(70 + random.nextInt(3000)) + "]".repeat(random.nextInt(2) == 0 ? 70 : 0) + "}";
            case 2 -> "{\"name\":\"" + "x".repeat(100_000 + random.nextInt(1_500_000)) + "\"}";
            case 3 -> json.replaceFirst("\\{", "{\"name\":\"first\",\"name\":\"second\",");
            case 4 -> json.replace("\"", "'");
            case 5 -> "\uFEFF" + json;
            case 6 -> json.replaceFirst("\\{", "{/* comment */");
            case 7 -> json.replaceFirst("}$", ",}");
            case 8 -> pick(new String[] {"", " ", "null", "[]", "1", "\"x\"", "[{}]", "{}{}", "{\"a\":1}x", "\u0000"});
            case 9 -> json.replaceFirst("\\{", "{\"numberofemployees\":" + pick(new String[] {"1e400", "-1e-400", "12345678901234567890123456789", "1" + "0".repeat(1200)}) + ",");
            case 10 -> "{\"name\":\"x\",\"description\":\"" + "\\ud83d".repeat(500) + "\"}";
            case 11 -> "{\"name\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41);
            case 12 -> json.replaceFirst("\\{", "{\"" + "k".repeat(5000) + "\":1,");
            case 13 -> json.replace(":", ":\u0001");
            default -> json + json;
        };
    }

    private void json() {
        boolean account = random.nextInt(10) < 7;
        String body = account ? accountBody() : contactBody();
        int how = random.nextInt(10);
        if (how < 3) {
            body = mutate(body);
        } else if (how < 7) {
            body = breakJson(body);
        }
        int where = random.nextInt(10);
        if (where < 6) {
            add("POST", API + (account ? "accounts" : "contacts"), utf8(body));
        } else {
            // a stale ETag: even a body that happens to be valid cannot update the row
            String id = account ? pick(ACCOUNTS) : pick(CONTACTS);
            add("PATCH", API + (account ? "accounts(" : "contacts(") + id + ")", utf8(body), "If-Match", STALE_ETAG);
        }
    }

    // ---------------------------------------------------------------------------------------------- keys

    private String key() {
        return switch (random.nextInt(14)) {
            case 0, 1, 2 -> mutate(CONTOSO);
            case 3 -> "accountnumber='" + stringValue().replace("'", "''") + "'";
            case 4 -> "name='Contoso Ltd',accountnumber='X'";
            case 5 -> "accountid=" + CONTOSO;
            case 6 -> "'" + CONTOSO + "'";
            case 7 -> "guid'" + CONTOSO + "'";
            case 8 -> "{" + CONTOSO + "}";
            case 9 -> pick(new String[] {"", "1", "-1", "1.5e300", "null", "@p1", "accountid=@k", "$1", "*", "()", CONTOSO + "," + CONTOSO});
            case 10 -> "x".repeat(2000);
            case 11 -> pick(UNICODE) + CONTOSO.substring(1);
            case 12 -> CONTOSO.toUpperCase();
            default -> MISSING;
        };
    }

    private void keys() {
        String k = key();
        String suffix = pick(new String[] {"", "", "", "/name", "/name/$value", "/primarycontactid", "/primarycontactid/$ref", "/contact_customer_accounts",
            "/contact_customer_accounts(" + key() + ")", "/contact_customer_accounts/$count", "/$ref", "/$count", "/$value", "/nosuch",
            "/primarycontactid/parentcustomerid_account/name", "()", "/Microsoft.Dynamics.CRM.RetrievePrincipalAccess", "/createdby/systemuserid", "/" + k});
        String target = API + pick(new String[] {"accounts", "accounts", "contacts", "systemusers"}) + "(" + encode(k) + ")" + suffix;
        String aliases = k.contains("@") ? "?@p1=" + encode(literal("g")) + "&@k=" + encode(literal("g")) : "";
        int method = random.nextInt(10);
        if (method < 7 || !suffix.isEmpty()) {
            get(target + aliases);
        } else if (method < 9) {
            add("DELETE", target + aliases, null, "If-Match", STALE_ETAG);
        } else {
            add("PATCH", target + aliases, utf8(POISON));
        }
    }

    // ---------------------------------------------------------------------------------------------- headers

    private String[] header() {
        return switch (random.nextInt(16)) {
            case 0, 1 -> new String[] {"Prefer", pick(new String[] {"return=representation", "odata.maxpagesize=" + pick(NUMBERS), "odata.include-annotations=" + pick(new String[] {
                "\"*\"", "*", "\"", "\"Microsoft.Dynamics.CRM.*,OData.Community.Display.V1.FormattedValue\"", "\"x" + "y".repeat(3000) + "\"", ""}),
                "odata.track-changes", "respond-async", "wait=abc", "odata.continue-on-error", "return=minimal, return=representation",
                "odata.maxpagesize=1, odata.maxpagesize=2", ",,,", "=", "return=\"representation", "odata.include-annotations=\"*\";q=1"})};
            case 2, 3 -> new String[] {pick(new String[] {"If-Match", "If-None-Match"}), pick(new String[] {"*", "W/\"abc\"", "W/\"-1\"", "\"1\"", "W/", "null", "W/\"1\", W/\"2\"",
                "W/\"" + "9".repeat(40) + "\"", "**", ""})};
            case 4, 5 -> new String[] {pick(new String[] {"OData-Version", "OData-MaxVersion"}), pick(new String[] {"x", "4.x", "4.0.1", "3.0", "5.0", "4", "4.01", "", "-4.0",
                "4.0;charset=x", "NaN", "Infinity", "1e1", "0x4"})};
            case 6, 7 -> new String[] {"Content-Type", pick(new String[] {"application/xml", "text/plain", "application/json;odata.metadata=full", "application/json; charset=ebcdic",
                "application/json; charset=utf-16", "multipart/mixed", "application/x-www-form-urlencoded", "", ";", "application/json;;", "*/*", "application/", "json",
                "application/json; type=entry", "application/json; boundary=x"})};
            case 8, 9 -> new String[] {"Accept", pick(new String[] {"text/html", "application/xml", "*/*", "application/json;odata.metadata=full", "application/json;odata.metadata=none",
                "application/json;q=abc", "", "application/atom+xml", "text/plain", "image/png", "application/json;odata.streaming=true", "application/json;IEEE754Compatible=true"})};
            case 10, 11 -> new String[] {pick(new String[] {"MSCRMCallerID", "CallerObjectId"}), pick(new String[] {"garbage", MISSING, CONTOSO, "00000000-0000-0000-0000-000000000102",
                "00000000-0000-0000-0000-000000000000", "", "{" + MISSING + "}", "00000000-0000-0000-0000-000000000100"})};
            case 12 -> new String[] {pick(new String[] {"MSCRM.SuppressDuplicateDetection", "MSCRM.BypassCustomPluginExecution", "Consistency", "MSCRM.SolutionUniqueName"}),
                pick(new String[] {"maybe", "true", "", "1", "x".repeat(500)})};
            case 13 -> new String[] {"Accept-Charset", pick(new String[] {"ebcdic", "utf-8;q=0", "*;q=x", ""})};
            case 14 -> new String[] {"X-HTTP-Method", pick(new String[] {"DELETE", "PATCH", "MERGE", "garbage"})};
            default -> new String[] {pick(new String[] {"OData-Version", "Prefer", "If-Match"}), mutate("4.0")};
        };
    }

    private void headers() {
        int base = random.nextInt(10);
        List<String> extra = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String[] h = header();
            extra.add(h[0]);
            extra.add(random.nextInt(5) == 0 ? mutate(h[1]) : h[1]);
        }
        String[] headers = extra.toArray(new String[0]);
        switch (base) {
            case 0, 1, 2 -> get(API + "accounts?$select=name&$top=2", headers);
            case 3, 4 -> get(API + "accounts(" + CONTOSO + ")?$select=name", headers);
            case 5 -> add("POST", API + "accounts", utf8(POISON), headers);
            case 6 -> add("PATCH", API + "accounts(" + CONTOSO + ")", utf8(POISON), headers);
            case 7 -> get(API + "WhoAmI", headers);
            case 8 -> get(API + "accounts?$select=name&$expand=primarycontactid($select=fullname)", headers);
            default -> get(API + (random.nextInt(4) == 0 ? "$metadata" : ""), headers);
        }
    }

    // ---------------------------------------------------------------------------------------------- $batch

    private String partRequest(String method, String url, String contentId, String body, String... headers) {
        StringBuilder b = new StringBuilder("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        if (contentId != null) {
            b.append("Content-ID: ").append(contentId).append("\r\n");
        }
        b.append("\r\n").append(method).append(' ').append(url).append(" HTTP/1.1\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (body != null) {
            return b.append("Content-Type: application/json; type=entry\r\n\r\n").append(body).append("\r\n").toString();
        }
        return b.append("Accept: application/json\r\n\r\n\r\n").toString();
    }

    private String partUrl(String path) {
        return switch (random.nextInt(4)) {
            case 0 -> base + API + path;
            case 1 -> API + path;
            case 2 -> path;
            default -> random.nextBoolean() ? base + API + path : pick(new String[] {"http://evil.example" + API + path, "../" + path, "/api/data/v8.2/" + path, "//" + path});
        };
    }

    private String readUrl() {
        return switch (random.nextInt(5)) {
            case 0 -> "accounts?$select=name&$filter=" + encode(filterExpression(2));
            case 1 -> "accounts?fetchXml=" + encode(fetchDocument());
            case 2 -> "accounts(" + key() + ")";
            case 3 -> "WhoAmI";
            default -> "accounts?$select=name&$top=" + pick(NUMBERS);
        };
    }

    private String changeSet(String boundary, int requests) {
        StringBuilder b = new StringBuilder("Content-Type: multipart/mixed; boundary=").append(boundary).append("\r\n\r\n");
        for (int i = 1; i <= requests; i++) {
            b.append("--").append(boundary).append("\r\n");
            b.append(switch (random.nextInt(7)) {
                case 0, 1 -> partRequest("POST", partUrl("accounts"), String.valueOf(i), accountBody());
                case 2 -> partRequest("POST", partUrl("contacts"), String.valueOf(i), contactBody());
                case 3 -> partRequest("PATCH", "$" + (random.nextInt(3) == 0 ? pick(new String[] {"0", "99", "-1", "x", String.valueOf(i), ""}) : String.valueOf(Math.max(1, i - 1))),
                        String.valueOf(i), "{\"telephone1\":\"555\"}");
                case 4 -> partRequest("PATCH", partUrl("accounts(" + MISSING + ")"), String.valueOf(i), POISON, "If-Match", "*");
                case 5 -> partRequest("DELETE", partUrl("accounts(" + MISSING + ")"), String.valueOf(i), null);
                default -> partRequest("POST", partUrl("contacts"), String.valueOf(i),
                        "{\"lastname\":\"Bound\",\"parentcustomerid_account@odata.bind\":\"$" + Math.max(1, i - 1) + "\"}");
            });
        }
        return b.append("--").append(boundary).append("--\r\n").toString();
    }

    private String batchBody(String boundary) {
        StringBuilder b = new StringBuilder();
        int parts = random.nextInt(100) == 0 ? 995 + random.nextInt(10) : 1 + random.nextInt(5);
        for (int i = 0; i < parts; i++) {
            b.append("--").append(boundary).append("\r\n");
            if (parts < 50 && random.nextInt(3) == 0) {
                b.append(changeSet("changeset_" + i, 1 + random.nextInt(4)));
            } else {
                b.append(partRequest("GET", partUrl(parts < 50 ? readUrl() : "accounts?$select=name&$top=1"), null, null));
            }
        }
        return b.append("--").append(boundary).append("--\r\n").toString();
    }

    private String breakBatch(String body, String boundary) {
        return switch (random.nextInt(16)) {
            case 0 -> body.replaceFirst("--" + boundary, "--batch_wrong");
            case 1 -> body.replace("\r\n\r\n", "\r\n");
            case 2 -> body.replace("\r\n", "\n");
            case 3 -> body.replace("Content-ID: 2", "Content-ID: 1");
            case 4 -> body.replace("HTTP/1.1", pick(new String[] {"HTTP/2.0", "", "HTTP/1.1 extra", "http/1.1"}));
            case 5 -> body.replace("Content-Type: application/http", pick(new String[] {"Content-Type: application/json", "", "Content-Type: multipart/mixed; boundary=inner"}));
            case 6 -> body.substring(0, random.nextInt(body.length()));
            case 7 -> body.replace("--" + boundary + "--", "");
            case 8 -> body.replaceFirst("Content-Type: multipart/mixed; boundary=changeset_(\\d+)\r\n\r\n--changeset_(\\d+)\r\n",
                    "Content-Type: multipart/mixed; boundary=changeset_$1\r\n\r\n--changeset_$2\r\nContent-Type: multipart/mixed; boundary=nested\r\n\r\n--nested\r\n"
                    + partRequest("POST", "accounts", "9", POISON) + "--nested--\r\n--changeset_$2\r\n");
            case 9 -> body.replace("GET ", pick(new String[] {"POST ", "get ", "MERGE ", "GET  ", "FOO "}));
            case 10 -> body.replace("Content-Transfer-Encoding: binary", "Content-Transfer-Encoding: " + pick(new String[] {"base64", "garbage", "8bit"}));
            case 11 -> body.replaceFirst("\r\n\r\n", "\r\nOData-Version: " + pick(new String[] {"x", "4.0.1"}) + "\r\n\r\n");
            case 12 -> "--" + boundary + "\r\n" + partRequest("GET", "$batch", null, null) + body;
            case 13 -> body.replace("accounts", "accounts(" + mutate(CONTOSO) + ")");
            case 14 -> body.replaceFirst("\\{", "{\"description\":\"" + "d".repeat(1_000_000) + "\",");
            default -> body.replace("--" + boundary + "\r\n", "--" + boundary + "   \r\nX-Garbage\r\n");
        };
    }

    private void batch() {
        String boundary = pick(new String[] {"batch_" + random.nextInt(1000), "dwa_batch_" + CONTOSO, "b"});
        String body = batchBody(boundary);
        int how = random.nextInt(10);
        if (how < 3) {
            body = mutate(body);
        } else if (how < 8) {
            body = breakBatch(body, boundary);
        }
        String contentType = switch (random.nextInt(12)) {
            case 0 -> "multipart/mixed";
            case 1 -> "multipart/mixed; boundary=\"" + boundary + "\"";
            case 2 -> "multipart/mixed; boundary=other";
            case 3 -> "application/json";
            case 4 -> "multipart/mixed; boundary=" + boundary + "; boundary=x";
            default -> "multipart/mixed; boundary=" + boundary;
        };
        if (random.nextInt(3) == 0) {
            add("POST", API + "$batch", utf8(body), "Content-Type", contentType, "Prefer", "odata.continue-on-error");
        } else {
            add("POST", API + "$batch", utf8(body), "Content-Type", contentType);
        }
    }

    // ---------------------------------------------------------------------------------------------- tokens

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private String badToken() {
        String[] parts = token.split("\\.");
        return switch (random.nextInt(14)) {
            case 0, 1, 2 -> mutate(token);
            case 3 -> b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
            case 4 -> b64("{\"alg\":\"HS256\",\"kid\":\"../../etc/passwd\"}") + "." + parts[1] + "." + parts[2];
            case 5 -> parts[0] + "." + b64("{\"aud\":\"x\",\"oid\":\"garbage\",\"exp\":1e20,\"nbf\":\"x\"}") + "." + parts[2];
            case 6 -> parts[0] + "." + parts[1];
            case 7 -> b64("{") + "." + b64("[]") + "." + b64("x");
            case 8 -> pick(new String[] {"", " ", "a.b.c", "..", "...", "null", "undefined", token + " " + token, token + "."});
            case 9 -> "x".repeat(6000);
            case 10 -> b64("{\"alg\":\"RS256\",\"kid\":\"" + MISSING + "\"}") + "." + parts[1] + "." + parts[2];
            case 11 -> parts[0] + "." + b64("{\"oid\":\"" + "9".repeat(500) + "\",\"appid\":[],\"exp\":9999999999}") + "." + parts[2];
            case 12 -> pick(UNICODE) + token;
            default -> Base64.getEncoder().encodeToString(utf8(token));
        };
    }

    private void tokens() {
        String value = switch (random.nextInt(8)) {
            case 0 -> pick(new String[] {"Bearer", "Basic dXNlcjpwYXNz", "bearer " + token, "Bearer  " + token, "Negotiate abc", "Bearer " + token + ", Basic x"});
            default -> "Bearer " + badToken();
        };
        List<String[]> h = new ArrayList<>();
        if (random.nextInt(10) != 0) {
            h.add(new String[] {"Authorization", value});
        }
        boolean write = random.nextInt(4) == 0;
        if (write) {
            h.add(new String[] {"Content-Type", "application/json"});
        }
        addWithHeaders(write ? "POST" : "GET", API + (write ? "accounts" : pick(new String[] {"accounts?$select=name&$top=1", "WhoAmI", "", "$metadata"})),
                write ? utf8(POISON) : null, h);
    }

    // ---------------------------------------------------------------------------------------------- the wire

    private void wire() {
        String method = random.nextInt(3) == 0 ? pick(new String[] {"GETT", "get", "PROPFIND", "TRACE", "OPTIONS", "CONNECT", "MERGE", "PUT", "DELETE", "PATCH", "G\u0000T", ""}) : "GET";
        String target = switch (random.nextInt(16)) {
            case 0 -> API + "/accounts";
            case 1 -> API + "%2e%2e/accounts";
            case 2 -> API + "accounts%00";
            case 3 -> API + "acc ounts";
            case 4 -> API + "acc\u00e9ounts";
            case 5 -> API + "acc\u0001ounts";
            case 6 -> "*";
            case 7 -> "http://evil.example" + API + "accounts";
            case 8 -> API + "accounts?$filter=" + "name%20eq%20'x'%20or%20".repeat(500);
            case 9 -> API + "accounts?$select=name&$filter=name eq 'x'";
            case 10 -> API + "accounts%zz";
            case 11 -> API + "accounts;jsessionid=1";
            case 12 -> API + "accounts#fragment";
            case 13 -> API + "..%2f..%2fadmin/reset";
            case 14 -> "/api/data/v9.2%2faccounts";
            default -> mutate(API + "accounts?$select=name&$top=1");
        };
        String version = random.nextInt(4) == 0 ? pick(new String[] {"HTTP/1.0", "HTTP/2.0", "HTTP/1.7", "http/1.1", "HTTP/1", "", "HTTP/1.1 x", "HTTP/3"}) : "HTTP/1.1";
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        request.append("Host: localhost\r\nConnection: close\r\nAuthorization: Bearer ").append(token).append("\r\n");
        String body = null;
        switch (random.nextInt(12)) {
            case 0 -> request.append("X-Padding: ").append("p".repeat(9000)).append("\r\n");
            case 1 -> request.append("BadHeaderWithoutColon\r\n");
            case 2 -> request.append("X-Folded: a\r\n  folded\r\n");
            case 3 -> {
                request.append("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n");
                body = "0\r\n\r\n";
            }
            case 4 -> {
                request.append("Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n");
                body = "zz\r\nabc\r\n0\r\n\r\n";
            }
            case 5 -> {
                request.append("Content-Length: 3\r\nContent-Length: 4\r\nContent-Type: application/json\r\n");
                body = "{}  ";
            }
            case 6 -> request.append("Host: second\r\n");
            case 7 -> request.append("X-Ctl: a\u0001b\r\n");
            case 8 -> request.append("OData-Version: \u00ff\u00fe\r\n");
            case 9 -> {
                request.append("Content-Type: application/json\r\nContent-Length: 2\r\n");
                body = "{\"name\":\"longer than declared\"}";
            }
            case 10 -> request.append("Expect: 100-continue\r\n");
            default -> {
            }
        }
        request.append("\r\n");
        if (body != null) {
            request.append(body);
        }
        out.add(new Request(-1, category, Kind.RAW, method, target, List.of(), request.toString().getBytes(StandardCharsets.ISO_8859_1)));
    }

    // ---------------------------------------------------------------------------------------------- XAML

    private String breakXaml(String xaml) {
        return switch (random.nextInt(10)) {
            case 0 -> xaml.replaceFirst("</Sequence>", "");
            case 1 -> xaml.replaceFirst("<Sequence ", "<NoSuchActivity ");
            case 2 -> xaml.replaceFirst("<mxswa:Workflow>", "<mxswa:Workflow>" + "<Sequence>".repeat(3000) + "</Sequence>".repeat(3000));
            case 3 -> "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + xaml;
            case 4 -> xaml.replaceFirst("\\[[^\\]]*\\]", "[" + pick(new String[] {"1 +", "New Object() {", "CreatedEntities(", "\"unterminated", "Nothing.Foo()", "AddressOf x"}) + "]");
            case 5 -> xaml.replace("xmlns=\"http://schemas.microsoft.com/netfx/2009/xaml/activities\"", "xmlns=\"urn:nosuch\"");
            case 6 -> xaml.substring(0, random.nextInt(xaml.length()));
            case 7 -> xaml.replaceFirst("EntityName=\"account\"", "EntityName=\"" + pick(new String[] {"nosuch", "", "account'; --"}) + "\"");
            case 8 -> xaml.replaceFirst("Attribute=\"(\\w+)\"", "Attribute=\"" + pick(new String[] {"nosuch", "", "x".repeat(5000)}) + "\"");
            default -> pick(new String[] {"", "<Activity/>", "not xml", "<Activity>", "\u0000"});
        };
    }

    private void xaml() {
        String xaml = pick(xamlSamples);
        xaml = random.nextBoolean() ? mutate(xaml) : breakXaml(xaml);
        // on demand and triggered by nothing: even a definition that activates never runs during the fuzz
        String definition = "{\"name\":\"Fuzz " + random.nextInt(100000) + "\",\"category\":0,\"type\":1,\"scope\":4,\"primaryentity\":\"account\",\"mode\":1,"
                + "\"ondemand\":true,\"triggeroncreate\":false,\"triggerondelete\":false,\"xaml\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(xaml) + "}";
        List<String[]> h = new ArrayList<>();
        h.add(new String[] {"Authorization", "Bearer " + token});
        h.add(new String[] {"Content-Type", "application/json"});
        h.add(new String[] {"Prefer", "return=representation"});
        out.add(new Request(-1, category, Kind.XAML, "POST", API + "workflows", h, utf8(definition)));
    }

    // ---------------------------------------------------------------------------------------------- hand-written

    private void handWritten(String c) {
        switch (c) {
            case "filter" -> {
                for (int n : new int[] {50, 99, 101, 600, 3000}) {
                    get(API + "accounts" + query("$select", "name", "$filter", "(".repeat(n) + "name eq 'x'" + ")".repeat(n)));
                }
                get(API + "accounts" + query("$filter", "not (".repeat(300) + "name eq 'x'" + ")".repeat(300)));
                get(API + "accounts" + query("$filter", String.join(" eq ", Collections.nCopies(700, "1"))));
                get(API + "accounts" + query("$filter", String.join(" and ", Collections.nCopies(250, "name eq 'x'"))));
                get(API + "accounts" + query("$filter", "contains(name,'" + "%".repeat(500) + "')"));
                get(API + "accounts" + query("$filter", "name eq 'O''Bryan' or name eq '''; DROP TABLE accountbase; --'"));
                get(API + "accounts" + query("$filter", "trim(".repeat(200) + "name" + ")".repeat(200) + " eq 'x'"));
                get(API + "accounts" + query("$filter", "Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)") + "&@p1='name'&@p2=" + encode("[".repeat(500) + "]".repeat(500)));
                get(API + "accounts?$filter=");
                get(API + "accounts?$filter");
                get(API + "accounts?$filter=name%20eq%20'x'&$filter=name%20eq%20'y'");
                get(API + "accounts?$FILTER=name%20eq%20'x'");
                get(API + "accounts" + query("$filter", String.join("/", Collections.nCopies(128, "primarycontactid/parentcustomerid_account")) + "/name eq 'x'"));
            }
            case "expand" -> {
                get(API + "accounts?$expand=contact_customer_account*s");
                get(API + "accounts?$expand=" + "createdby($expand=".repeat(300) + "createdby" + ")".repeat(300));
                get(API + "accounts?$expand=" + String.join(",", Collections.nCopies(16, "createdby")));
                get(API + "accounts?$expand=*($levels=max)");
                get(API + "accounts?$expand=contact_customer_accounts($top=5001)");
            }
            case "paging" -> {
                get(API + "accounts?$top=5001");
                get(API + "accounts?$top=99999999999999999999");
                get(API + "accounts?$skiptoken=" + encode("<cookie pagenumber=\"999999999999\" pagingcookie=\"\" />"));
            }
            case "json" -> {
                add("POST", API + "accounts", utf8("[".repeat(1001) + "]".repeat(1001)));
                add("POST", API + "accounts", utf8("{\"name\":" + "{\"a\":".repeat(1000) + "1" + "}".repeat(1001)));
                add("POST", API + "accounts", utf8("{\"name\":\"x\""));
                add("POST", API + "accounts", utf8("{\"name\":\"Sent as XML\"}"), "Content-Type", "application/xml");
                add("POST", API + "accounts", utf8("{\"name\":\"Sent as text\"}"), "Content-Type", "text/plain");
            }
            case "headers" -> {
                for (String v : new String[] {"x", "4.x", "4.0.1"}) {
                    get(API + "accounts?$select=name", "OData-Version", v);
                    get(API + "accounts?$select=name", "OData-MaxVersion", v);
                }
            }
            case "keys" -> {
                get(API + "$crossjoin(accounts,contacts)");
                get(API + "$all");
                get(API + "accounts/$ref");
                get(API + "$entity?$id=" + encode("accounts(" + CONTOSO + ")"));
            }
            case "batch" -> {
                String cs = "--b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\n" + partRequest("PATCH", "$99", "1", "{\"name\":\"x\"}") + "--cs--\r\n--b--\r\n";
                add("POST", API + "$batch", utf8(cs), "Content-Type", "multipart/mixed; boundary=b");
                String wrong = "--wrong\r\n" + partRequest("POST", "accounts", null, POISON) + "--b--\r\n";
                add("POST", API + "$batch", utf8(wrong), "Content-Type", "multipart/mixed; boundary=b");
                String chain = "--b\r\n" + partRequest("GET", API + "accounts?$select=name&$filter=" + encode(String.join(" and ", Collections.nCopies(5000, "name eq 'x'"))), null, null) + "--b--\r\n";
                add("POST", API + "$batch", utf8(chain), "Content-Type", "multipart/mixed; boundary=b");
            }
            default -> {
            }
        }
    }
}
