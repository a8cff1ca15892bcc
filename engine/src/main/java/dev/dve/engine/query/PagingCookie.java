package dev.dve.engine.query;

import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.payload.PayloadReader;
import dev.dve.record.EntityReference;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The paging cookie of a query, as Dataverse writes it: the {@code $skiptoken} of {@code @odata.nextLink} and FetchXML's
 * {@code paging-cookie}. The {@code $skiptoken} has Dataverse's shape: {@code <cookie pagenumber="2"
 * pagingcookie="…" istracking="False" />} with the paging cookie URL-encoded twice, holding the sort-key values of
 * the page's last (and first) row, GUIDs upper case in braces. The next page continues after those values.
 */
public final class PagingCookie {
    private PagingCookie() {
    }

    public static String encode(int nextPage, List<AttributeMetadata> keys, List<Object> last, List<Object> first) {
        StringBuilder inner = new StringBuilder("<cookie page=\"").append(nextPage - 1).append("\">");
        for (int i = 0; i < keys.size(); i++) {
            inner.append('<').append(keys.get(i).logicalName());
            attribute(inner, "last", last.get(i));
            attribute(inner, "first", first.get(i));
            inner.append(" />");
        }
        inner.append("</cookie>");
        String twice = enc(enc(inner.toString()));
        return "<cookie pagenumber=\"" + nextPage + "\" pagingcookie=\"" + twice + "\" istracking=\"False\" />";
    }

    private static void attribute(StringBuilder b, String name, Object v) {
        if (v == null) {
            b.append(' ').append(name).append("null=\"1\"");
            return;
        }
        b.append(' ').append(name).append("=\"").append(escape(text(v))).append('"');
    }

    private static String text(Object v) {
        if (v instanceof EntityReference r) {
            v = r.id();
        }
        if (v instanceof UUID u) {
            return "{" + u.toString().toUpperCase(Locale.ROOT) + "}";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v.toString();
    }

    /** The page number and the last row's values, typed, for the given sort keys; a bad token is a query error. */
    public static Decoded decode(String token, EntityMetadata e, List<AttributeMetadata> keys) {
        try {
            Element outer = parse(token);
            int page = Integer.parseInt(outer.getAttribute("pagenumber"));
            String inner = URLDecoder.decode(URLDecoder.decode(outer.getAttribute("pagingcookie"), StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            return new Decoded(page, lastValues(parse(inner), keys));
        } catch (DataverseFault f) {
            throw f;
        } catch (Exception ex) {
            throw DataverseFault.query("The $skiptoken is not valid for this query: " + ex.getMessage());
        }
    }

    /** A FetchXML paging-cookie ({@code <cookie page="1"><accountid last="{…}" …/></cookie>}): its page and last values. */
    public static Decoded decodeFetchCookie(String innerXml, List<AttributeMetadata> keys) {
        try {
            Element cookie = parse(innerXml);
            return new Decoded(Integer.parseInt(cookie.getAttribute("page")), lastValues(cookie, keys));
        } catch (DataverseFault f) {
            throw f;
        } catch (Exception ex) {
            throw DataverseFault.query("The paging-cookie is not valid for this query: " + ex.getMessage());
        }
    }

    private static List<Object> lastValues(Element cookie, List<AttributeMetadata> keys) {
        {
            List<Object> last = new ArrayList<>();
            int i = 0;
            for (Node n = cookie.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element el)) {
                    continue;
                }
                if (i >= keys.size() || !el.getTagName().equals(keys.get(i).logicalName())) {
                    throw new IllegalArgumentException("the paging cookie belongs to another query");
                }
                last.add(el.hasAttribute("lastnull") ? null : typed(keys.get(i), el.getAttribute("last")));
                i++;
            }
            if (i != keys.size()) {
                throw new IllegalArgumentException("the paging cookie belongs to another query");
            }
            return last;
        }
    }

    public record Decoded(int page, List<Object> last) {
    }

    private static Object typed(AttributeMetadata a, String s) {
        return switch (a.type()) {
            case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER -> PayloadReader.parseGuid(s);
            case INTEGER, PICKLIST, STATE, STATUS -> Integer.valueOf(s);
            case BIGINT -> Long.valueOf(s);
            case DECIMAL, MONEY -> new BigDecimal(s);
            case DOUBLE -> Double.valueOf(s);
            case BOOLEAN -> Boolean.valueOf(s);
            case DATETIME -> Instant.parse(s);
            default -> s;
        };
    }

    private static Element parse(String xml) throws Exception {
        return dev.dve.xml.SafeXml.parse(xml, false).getDocumentElement();
    }

    /** URL-encodes with lower-case escapes, as Dataverse writes its paging cookies ({@code %3c}). */
    private static String enc(String s) {
        String e = URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("%[0-9A-F]{2}").matcher(e);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, m.group().toLowerCase(Locale.ROOT));
        }
        return m.appendTail(b).toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
