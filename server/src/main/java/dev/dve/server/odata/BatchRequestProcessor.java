package dev.dve.server.odata;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.ODataLibraryException;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.batch.BatchFacade;
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
        List<BatchRequestPart> parts = odata.createFixedFormatDeserializer().parseBatchRequest(request.getBody(), boundary,
                BatchOptions.with().rawBaseUri(request.getRawBaseUri()).rawServiceResolutionUri(request.getRawServiceResolutionUri()).build());
        int total = parts.stream().mapToInt(p -> p.getRequests().size()).sum();
        if (total > MAX_REQUESTS) {
            throw new DataverseFault(ErrorCode.QUERY_ERROR, "The number of requests in a batch exceeds the limit of " + MAX_REQUESTS + ".");
        }
        boolean continueOnError = new PreferHeader(request.getHeaders("Prefer")).has("odata.continue-on-error");
        List<ODataResponsePart> answers = new ArrayList<>();
        boolean failed = false;
        for (BatchRequestPart part : parts) {
            ODataResponsePart answer = part.isChangeSet() ? processChangeSet(facade, part.getRequests())
                    : new ODataResponsePart(facade.handleODataRequest(part.getRequests().get(0)), false);
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

    @Override
    public ODataResponsePart processChangeSet(BatchFacade facade, List<ODataRequest> requests) {
        try {
            List<ODataResponse> responses = service().database().inTransaction(c -> {
                List<ODataResponse> out = new ArrayList<>();
                for (ODataRequest r : requests) {
                    ODataResponse resp;
                    try {
                        resp = facade.handleODataRequest(r);
                    } catch (ODataApplicationException | ODataLibraryException e) {
                        throw new IllegalStateException(e);
                    }
                    String contentId = r.getHeader("Content-ID");
                    String location = resp.getHeader("OData-EntityId");
                    if (contentId != null && location != null) {
                        scope.contentIds().put("$" + contentId.trim(), location);
                    }
                    if (resp.getStatusCode() >= 400) {
                        throw new ChangeSetFailed(r, resp);
                    }
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
