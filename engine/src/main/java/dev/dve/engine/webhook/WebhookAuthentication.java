package dev.dve.engine.webhook;

import dev.dve.engine.async.JobFailure;
import dev.dve.engine.async.JobFault;
import dev.dve.fault.ErrorCode;
import dev.dve.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a webhook proves the call comes from the organization, by the service endpoint's {@code authtype}: 4 WebhookKey
 * sends {@code ?code=<authvalue>}; 5 HttpHeader and 6 HttpQueryString read {@code authvalue} as
 * {@code <settings><setting name="…" value="…" /></settings>} and send each setting as a header or a query parameter.
 * An endpoint whose value cannot be used fails its jobs: retrying would not change it.
 */
record WebhookAuthentication(Map<String, String> headers, Map<String, String> query) {
    static final int WEBHOOK_KEY = 4;
    static final int HTTP_HEADER = 5;
    static final int HTTP_QUERY_STRING = 6;

    static WebhookAuthentication of(Integer authType, String authValue) {
        if (authType == null) {
            return new WebhookAuthentication(Map.of(), Map.of());
        }
        return switch (authType) {
            case WEBHOOK_KEY -> new WebhookAuthentication(Map.of(), Map.of("code", authValue == null ? "" : authValue));
            case HTTP_HEADER -> new WebhookAuthentication(settings(authValue), Map.of());
            case HTTP_QUERY_STRING -> new WebhookAuthentication(Map.of(), settings(authValue));
            default -> throw misconfigured("authtype " + authType + " is not a webhook authentication (4 WebhookKey, 5 HttpHeader, 6 HttpQueryString).");
        };
    }

    /** The endpoint's URL with the query parameters added to any it already has. */
    URI target(String url) {
        if (url == null || url.isBlank()) {
            throw misconfigured("the service endpoint has no url.");
        }
        StringBuilder b = new StringBuilder(url);
        char separator = url.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> p : query.entrySet()) {
            b.append(separator).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        try {
            URI uri = URI.create(b.toString());
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw misconfigured("the url '" + url + "' is not an http or https address.");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw misconfigured("the url '" + url + "' is not valid: " + e.getMessage());
        }
    }

    private static Map<String, String> settings(String xml) {
        if (xml == null || xml.isBlank()) {
            throw misconfigured("the authentication value is empty; it must be <settings><setting name=\"…\" value=\"…\" /></settings>.");
        }
        Document d;
        try {
            d = SafeXml.parse(xml, false);
        } catch (Exception e) {
            throw misconfigured("the authentication value is not valid XML: " + e.getMessage());
        }
        Element root = d.getDocumentElement();
        if (!root.getTagName().equals("settings")) {
            throw misconfigured("the authentication value must be a <settings> element.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        NodeList list = root.getElementsByTagName("setting");
        for (int i = 0; i < list.getLength(); i++) {
            Element s = (Element) list.item(i);
            String name = s.getAttribute("name");
            if (name.isBlank()) {
                throw misconfigured("a <setting> of the authentication value has no name.");
            }
            out.put(name, s.getAttribute("value"));
        }
        return out;
    }

    static JobFault misconfigured(String why) {
        return new JobFault(new JobFailure(JobFailure.Disposition.FAIL, ErrorCode.INVALID_ARGUMENT.signed(),
                "The webhook's service endpoint cannot be called: " + why));
    }
}
