package dev.dve.server.odata;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.ODataLibraryException;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.batch.BatchFacade;
import org.apache.olingo.server.api.deserializer.batch.BatchDeserializerException;
import org.apache.olingo.server.api.deserializer.batch.BatchOptions;
import org.apache.olingo.server.api.deserializer.batch.BatchRequestPart;
import org.apache.olingo.server.api.deserializer.batch.ODataResponsePart;
import org.apache.olingo.server.api.processor.BatchProcessor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST $batch}: Olingo parses the multipart request and dispatches each part through the same processors;
 * each change set runs in one transaction that rolls back as a whole when a part fails. The answer is written with
 * the {@code batchresponse_} and {@code changesetresponse_} boundaries Dataverse clients look for.
 */
final class BatchRequestProcessor extends DataverseProcessor implements BatchProcessor {
    private static final int MAX_REQUESTS = 1000;

    BatchRequestProcessor(RequestScope scope) {
        super(scope);
    }

    /** A failed part of a change set: its answer, carried out of the transaction so the transaction rolls back. */
    private static final class ChangeSetFailed extends RuntimeException {
        final ODataResponse response;
        final ODataRequest request;

        ChangeSetFailed(ODataRequest request, ODataResponse response) {
            super(null, null, false, false);
            this.request = request;
            this.response = response;
        }
    }

    @Override
    public void processBatch(BatchFacade facade, ODataRequest request, ODataResponse response) throws ODataApplicationException, ODataLibraryException {
        String boundary = facade.extractBoundaryFromContentType(request.getHeader("Content-Type"));
        byte[] body = readBody(request);
        requireLeadingBoundary(body, boundary);
        List<BatchRequestPart> parts = parse(body, boundary, request);
        if (parts.isEmpty()) {
            // RFC 2046 requires at least one part; none means the boundary never matched and every request would be dropped
            throw DataverseFault.query("The batch request holds no part delimited by '--" + boundary + "'.");
        }
        int total = parts.stream().mapToInt(p -> Math.max(1, p.getRequests().size())).sum();
        if (total > MAX_REQUESTS) {
            throw DataverseFault.query("The number of requests in a batch exceeds the limit of " + MAX_REQUESTS + ".");
        }
        boolean continueOnError = new PreferHeader(request.getHeaders("Prefer")).has("odata.continue-on-error");
        List<ODataResponsePart> answers = new ArrayList<>();
        boolean failed = false;
        for (BatchRequestPart part : parts) {
            ODataResponsePart answer = part.isChangeSet() ? processChangeSet(facade, part.getRequests())
                    : new ODataResponsePart(processOne(facade, part.getRequests().get(0)), false);
            answers.add(answer);
            boolean partFailed = answer.getResponses().stream().anyMatch(r -> r.getStatusCode() >= 400);
            if (partFailed && !continueOnError) {
                failed = true;
                break;
            }
        }
        String responseBoundary = "batchresponse_" + UUID.randomUUID();
        response.setStatusCode(failed ? HttpStatusCode.BAD_REQUEST.getStatusCode() : HttpStatusCode.OK.getStatusCode());
        response.setHeader("Content-Type", "multipart/mixed; boundary=" + responseBoundary);
        response.setHeader("OData-Version", "4.0");
        response.setContent(new ByteArrayInputStream(serialize(answers, responseBoundary)));
    }

    /**
     * Olingo's strict reading first. A request whose headers run up to the next delimiter with no blank line after
     * them (DynamicsWebApi ends a GET outside a change set that way; Dataverse accepts it) fails it with
     * "Missing blank line"; only that failure is read again in Olingo's lenient mode, which stops requiring the blank
     * line after a block of headers and checks everything else (boundaries, status lines, headers) as before.
     */
    private List<BatchRequestPart> parse(byte[] body, String boundary, ODataRequest request) throws BatchDeserializerException {
        try {
            return odata.createFixedFormatDeserializer().parseBatchRequest(new ByteArrayInputStream(body), boundary, options(request, true));
        } catch (BatchDeserializerException e) {
            if (e.getMessageKey() != BatchDeserializerException.MessageKeys.MISSING_BLANK_LINE) {
                throw e;
            }
            return odata.createFixedFormatDeserializer().parseBatchRequest(new ByteArrayInputStream(body), boundary, options(request, false));
        }
    }

    private static BatchOptions options(ODataRequest request, boolean strict) {
        return BatchOptions.with().rawBaseUri(request.getRawBaseUri()).rawServiceResolutionUri(request.getRawServiceResolutionUri())
                .isStrict(strict).build();
    }

    private static byte[] readBody(ODataRequest request) {
        try (InputStream in = request.getBody()) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Text before the first boundary is a MIME preamble, which a parser skips; a preamble that itself looks like a
     * delimiter ({@code --batch_wrong}) is a mistyped boundary whose requests would silently be dropped.
     */
    private static void requireLeadingBoundary(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        int first = text.startsWith(delimiter) ? 0 : text.indexOf("\n" + delimiter);
        String preamble = first < 0 ? text : text.substring(0, first);
        for (String line : preamble.split("\r?\n")) {
            if (line.startsWith("--")) {
                throw DataverseFault.query("The batch request body does not start with its boundary delimiter '" + delimiter + "'.");
            }
        }
    }

    /** One request outside a change set: refused as Dataverse would before Olingo handles it, or handled. */
    private ODataResponse processOne(BatchFacade facade, ODataRequest r) throws ODataApplicationException, ODataLibraryException {
        // Olingo's batch facade treats every part as a change-set part: "$name" outside a change set is a reference too
        ODataResponse refused = refusal(r, Map.of());
        return refused != null ? refused : facade.handleODataRequest(r);
    }

    /**
     * The answer for a part that must not reach Olingo (null: none): its protocol headers and query get the checks
     * {@link ODataServlet} makes, and a {@code $n} URL must name an earlier part of the same change set that has a
     * location (Olingo fails with a runtime exception on an unknown one, and also reads {@code $metadata} or
     * {@code $batch} in a part as a reference).
     */
    private static ODataResponse refusal(ODataRequest r, Map<String, Boolean> contentIds) {
        try {
            ProtocolHeaders.check(r::getHeader, r.getHeaders("Accept"));
            QueryLimits.check(r.getRawQueryPath());
            String reference = contentIdReference(r.getRawODataPath());
            if (reference != null && !Boolean.TRUE.equals(contentIds.get(reference))) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Content-ID Reference: '$" + reference + "' does not exist in the batch context.");
            }
            return null;
        } catch (DataverseFault f) {
            ODataResponse answer = new ODataResponse();
            DataverseErrorProcessor.write(answer, f.httpStatus(), f.code().hex(), f.getMessage());
            if (r.getHeader("Content-ID") != null) {
                answer.setHeader("Content-ID", r.getHeader("Content-ID"));
            }
            return answer;
        }
    }

    /** The Content-ID a change-set URL refers to ({@code $1} in {@code $1/name}), read as Olingo's reference rewriter reads it. */
    private static String contentIdReference(String rawODataPath) {
        String path = rawODataPath == null ? "" : rawODataPath.startsWith("/") ? rawODataPath.substring(1) : rawODataPath;
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        return first.startsWith("$") ? first.substring(1) : null;
    }

    @Override
    public ODataResponsePart processChangeSet(BatchFacade facade, List<ODataRequest> requests) {
        try {
            List<ODataResponse> responses = scope.runtime().service().inOneTransaction(() -> {
                List<ODataResponse> out = new ArrayList<>();
                // Content-ID -> whether Olingo can rewrite a reference to it (a create without a Location cannot be)
                Map<String, Boolean> contentIds = new java.util.HashMap<>();
                for (ODataRequest r : requests) {
                    ODataResponse resp = refusal(r, contentIds);
                    if (resp == null) {
                        try {
                            resp = facade.handleODataRequest(r);
                        } catch (ODataApplicationException | ODataLibraryException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    String contentId = r.getHeader("Content-ID");
                    String location = resp.getHeader("OData-EntityId");
                    if (contentId != null && location != null) {
                        scope.contentIds().put("$" + contentId.trim(), location);
                    }
                    if (resp.getStatusCode() >= 400) {
                        throw new ChangeSetFailed(r, resp);
                    }
                    contentIds.put(contentId, r.getMethod() != org.apache.olingo.commons.api.http.HttpMethod.POST || resp.getHeader("Location") != null);
                    out.add(resp);
                }
                return out;
            });
            return new ODataResponsePart(responses, true);
        } catch (ChangeSetFailed f) {
            return new ODataResponsePart(List.of(f.response), false);
        }
    }

    private static byte[] serialize(List<ODataResponsePart> parts, String boundary) {
        StringBuilder b = new StringBuilder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ODataResponsePart part : parts) {
            b.append("--").append(boundary).append("\r\n");
            if (part.isChangeSet()) {
                String cs = "changesetresponse_" + UUID.randomUUID();
                b.append("Content-Type: multipart/mixed; boundary=").append(cs).append("\r\n\r\n");
                for (ODataResponse r : part.getResponses()) {
                    b.append("--").append(cs).append("\r\n");
                    appendResponse(b, r);
                }
                b.append("--").append(cs).append("--\r\n");
            } else {
                for (ODataResponse r : part.getResponses()) {
                    appendResponse(b, r);
                }
            }
        }
        b.append("--").append(boundary).append("--\r\n");
        out.writeBytes(b.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void appendResponse(StringBuilder b, ODataResponse r) {
        b.append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        String contentId = r.getHeader("Content-ID");
        if (contentId != null) {
            b.append("Content-ID: ").append(contentId).append("\r\n");
        }
        b.append("\r\n");
        HttpStatusCode code = HttpStatusCode.fromStatusCode(r.getStatusCode());
        b.append("HTTP/1.1 ").append(r.getStatusCode()).append(' ').append(code == null ? "" : code.getInfo()).append("\r\n");
        if (r.getStatusCode() >= 400) {
            b.append("REQ_ID: ").append(UUID.randomUUID()).append("\r\n");
        }
        for (Map.Entry<String, List<String>> h : r.getAllHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase("Content-ID")) {
                continue;
            }
            for (String v : h.getValue()) {
                b.append(h.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        b.append("\r\n");
        InputStream content = r.getContent();
        if (content != null) {
            try {
                b.append(new String(content.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        b.append("\r\n");
    }
}
