package dev.dve.server.odata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpHeader;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataLibraryException;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ODataServerError;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.ErrorProcessor;
import org.apache.olingo.server.core.ContentNegotiatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes every error as Dataverse does: {@code {"error":{"code":"0x…","message":"…"}}} with the HTTP status of
 * the fault. Olingo's own URI and body errors are mapped onto Dataverse's codes and wording.
 */
public final class DataverseErrorProcessor implements ErrorProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(DataverseErrorProcessor.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern FUNCTION_NAME = Pattern.compile("arguments '\\[([^,\\]]+)|function import '([^'%]+)'");

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // nothing to keep
    }

    @Override
    public void processError(ODataRequest request, ODataResponse response, ODataServerError error, ContentType format) {
        Mapped m = map(error, request);
        write(response, m.status, m.code, m.message);
    }

    record Mapped(int status, String code, String message) {
    }

    static Mapped map(ODataServerError error, ODataRequest request) {
        Exception ex = error.getException();
        DataverseFault fault = find(ex);
        if (fault != null) {
            if (fault.httpStatus() >= 500) {
                LOG.error("Request failed", fault);
            }
            return new Mapped(fault.httpStatus(), fault.code().hex(), fault.getMessage());
        }
        if (ex instanceof ODataLibraryException lib) {
            String key = lib.getMessageKey() == null ? "" : lib.getMessageKey().getKey();
            ODataLibraryException.ODataErrorMessage translated = lib.getTranslatedMessage(Locale.ENGLISH);
            String text = translated != null && translated.getMessage() != null ? translated.getMessage()
                    : lib.getMessage() == null ? "" : lib.getMessage();
            String first = firstQuoted(text);
            if (key.contains("FUNCTION_NOT_FOUND")) {
                // Olingo's message lacks its second argument; the function's name is the first
                Matcher name = FUNCTION_NAME.matcher(text);
                first = name.find() ? (name.group(1) != null ? name.group(1) : name.group(2)) : first;
            }
            if (key.contains("FUNCTION_NOT_FOUND") && !inPath(request, first)) {
                // a function called inside a query option ($filter, $orderby …) that does not exist: a bad query, as
                // Dataverse's OData parser reports it, not a missing resource
                return new Mapped(400, ErrorCode.QUERY_ERROR.hex(), "An unknown function with name '" + first
                        + "' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.");
            }
            if (key.contains("RESOURCE_NOT_FOUND") || key.contains("FUNCTION_NOT_FOUND")) {
                return new Mapped(404, ErrorCode.RESOURCE_NOT_FOUND.hex(), "Resource not found for the segment '" + first + "'.");
            }
            if (key.contains("PROPERTY_NOT_IN_TYPE")) {
                String type = secondQuoted(text);
                if (!key.startsWith("EXPRESSION_")) {
                    // "The type 'T' has no property 'p'." names the type first
                    String property = type;
                    type = first;
                    first = property;
                }
                return new Mapped(400, ErrorCode.QUERY_ERROR.hex(), "Could not find a property named '" + first + "' on type '"
                        + (type.contains(".") ? type : "Microsoft.Dynamics.CRM." + type) + "'.");
            }
            int status = error.getStatusCode() >= 400 ? error.getStatusCode() : 400;
            if (status == 404) {
                return new Mapped(404, ErrorCode.RESOURCE_NOT_FOUND.hex(), text);
            }
            if (status == 405) {
                return new Mapped(405, ErrorCode.METHOD_NOT_ALLOWED.hex(), text);
            }
            if (lib instanceof ContentNegotiatorException && key.equals(ContentNegotiatorException.MessageKeys.UNSUPPORTED_CONTENT_TYPE.getKey())) {
                // Olingo answers an unsupported request body format with 406, which is about the Accept header
                return new Mapped(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE.hex(), text);
            }
            if (status == 501) {
                // what Olingo parses but the emulator has no processor for ($crossjoin, $all, a collection's $ref):
                // a query Dataverse does not support, not a server fault
                return new Mapped(400, ErrorCode.QUERY_ERROR.hex(), "The request '" + describe(request) + "' is not supported.");
            }
            if (status >= 500) {
                LOG.error("Request failed", ex);
                return new Mapped(500, ErrorCode.UNEXPECTED.hex(), "An unexpected error occurred.");
            }
            return new Mapped(status, ErrorCode.QUERY_ERROR.hex(), text);
        }
        org.eclipse.jetty.http.HttpException http = httpError(ex);
        if (http != null) {
            // Jetty refusing to read on (a body over the size limit) while a processor reads the body
            return new Mapped(http.getCode(), http.getCode() == 413 ? ErrorCode.PAYLOAD_ERROR.hex() : ErrorCode.QUERY_ERROR.hex(), http.getReason());
        }
        String parser = ex instanceof RuntimeException ? requestParser(ex) : null;
        if (parser != null) {
            // Olingo's URI and batch parsers fail with runtime exceptions on some malformed input ("$expand=name*",
            // "[1] in x", a batch line "Content-Type" without a colon, an unknown charset): the request is what is
            // wrong, and no code of the emulator had run on it yet
            LOG.warn("Olingo's {} parser failed on {}", parser, describe(request), ex);
            return new Mapped(400, ErrorCode.QUERY_ERROR.hex(), parser.equals("URI") ? "The URI '" + describeUri(request) + "' is malformed."
                    : "The $batch request body is malformed.");
        }
        if (ex != null) {
            LOG.error("Request failed", ex);
            return new Mapped(500, ErrorCode.UNEXPECTED.hex(), "An unexpected error occurred.");
        }
        int status = error.getStatusCode() >= 400 ? error.getStatusCode() : 500;
        return new Mapped(status, status == 404 ? ErrorCode.RESOURCE_NOT_FOUND.hex() : ErrorCode.QUERY_ERROR.hex(),
                error.getMessage() == null ? "An error occurred." : error.getMessage());
    }

    /** A client error Jetty raised (as an exception that carries its HTTP status) under the processor. */
    private static org.eclipse.jetty.http.HttpException httpError(Throwable t) {
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
                return h;
            }
        }
        return null;
    }

    /**
     * "URI" or "batch" when the first frame outside the JDK and Olingo's type helpers that threw is Olingo's URI or
     * batch parser, else null.
     */
    private static String requestParser(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            String c = frame.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("org.apache.olingo.commons."))) {
                return c.startsWith("org.apache.olingo.server.core.uri.parser.") ? "URI"
                        : c.startsWith("org.apache.olingo.server.core.deserializer.batch.") ? "batch" : null;
            }
        }
        return null;
    }

    /** Whether a name appears in the request's resource path (rather than only in its query options). */
    private static boolean inPath(ODataRequest request, String name) {
        if (request == null || request.getRawODataPath() == null) {
            return true;
        }
        String path = request.getRawODataPath();
        try {
            return path.contains(name) || java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8).contains(name);
        } catch (IllegalArgumentException malformed) {
            return path.contains(name);
        }
    }

    private static String describeUri(ODataRequest request) {
        if (request == null) {
            return "";
        }
        String path = request.getRawODataPath() == null ? "" : request.getRawODataPath();
        String query = request.getRawQueryPath();
        return (path.startsWith("/") ? path.substring(1) : path) + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    private static String describe(ODataRequest request) {
        if (request == null) {
            return "";
        }
        String path = request.getRawODataPath() == null ? "" : request.getRawODataPath();
        return request.getMethod() + " " + (path.startsWith("/") ? path.substring(1) : path);
    }

    private static DataverseFault find(Throwable t) {
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            if (t instanceof DataverseFault f) {
                return f;
            }
        }
        return null;
    }

    private static String firstQuoted(String s) {
        Matcher m = QUOTED.matcher(s);
        return m.find() ? m.group(1) : s;
    }

    private static String secondQuoted(String s) {
        Matcher m = QUOTED.matcher(s);
        return m.find() && m.find() ? m.group(1) : "";
    }

    /** Writes a Dataverse error body. */
    public static void write(ODataResponse response, int status, String code, String message) {
        response.setStatusCode(status);
        response.setHeader(HttpHeader.CONTENT_TYPE, DataverseProcessor.JSON_CONTENT_TYPE);
        response.setHeader("OData-Version", "4.0");
        response.setContent(new ByteArrayInputStream(errorBody(code, message)));
    }

    /** The JSON bytes of a Dataverse error. */
    public static byte[] errorBody(String code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code.toLowerCase(Locale.ROOT).startsWith("0x") ? code : code);
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
