package dev.dve.server;

import dev.dve.fault.ErrorCode;
import dev.dve.server.odata.DataverseErrorProcessor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * The answers Jetty gives itself (a URI or headers too large, an ambiguous or undecodable path, a body over the size
 * limit, an error no servlet caught) in Dataverse's error shape, like every other Web API answer, whatever the
 * method and the Accept header. Jetty's default writes an HTML or JSON page of its own, and none for PATCH or DELETE.
 */
final class DataverseErrorPage extends org.eclipse.jetty.server.handler.ErrorHandler {
    private static final String CONTENT_TYPE = "application/json; odata.metadata=minimal";

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int jettyStatus, String message, Throwable cause, Callback callback) {
        int status = jettyStatus;
        if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // a request line naming HTTP/1.7 or 3.0 is malformed input like any other, not a failure of the server
            status = HttpStatus.BAD_REQUEST_400;
            response.setStatus(status);
        }
        ErrorCode code = status == HttpStatus.NOT_FOUND_404 ? ErrorCode.RESOURCE_NOT_FOUND
                : status == HttpStatus.METHOD_NOT_ALLOWED_405 ? ErrorCode.METHOD_NOT_ALLOWED
                : status == HttpStatus.PAYLOAD_TOO_LARGE_413 || status == HttpStatus.UNSUPPORTED_MEDIA_TYPE_415 ? ErrorCode.PAYLOAD_ERROR
                : status >= 500 ? ErrorCode.UNEXPECTED
                : ErrorCode.QUERY_ERROR;
        // a server error's own message (an exception's text) stays in the log Jetty writes
        String text = status >= 500 ? "An unexpected error occurred." : message == null ? HttpStatus.getMessage(status) : message;
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put("OData-Version", "4.0");
        response.write(true, ByteBuffer.wrap(DataverseErrorProcessor.errorBody(code.hex(), text)), callback);
    }
}
