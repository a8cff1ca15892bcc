package dev.dve.server.odata;

import dev.dve.fault.DataverseFault;
import org.apache.olingo.commons.api.edm.constants.ODataServiceVersion;
import org.apache.olingo.commons.api.format.AcceptType;

import java.util.List;
import java.util.function.Function;

/**
 * The request headers Olingo reads with parsers that fail with a runtime exception on some malformed values,
 * checked with Olingo's own parsers before Olingo sees them: {@code OData-Version} and {@code OData-MaxVersion} are
 * read with {@code Double.parseDouble} ({@code x}, {@code 4.x}, {@code 4.0.1} throw NumberFormatException), and an
 * {@code Accept} of only commas makes {@link AcceptType#create} throw IndexOutOfBoundsException, even in the error
 * path, so the request would end as a 500.
 */
final class ProtocolHeaders {
    private ProtocolHeaders() {
    }

    /**
     * @param header a request header's value by name (null when absent)
     * @param accept the request's {@code Accept} values
     */
    static void check(Function<String, String> header, List<String> accept) {
        String version = header.apply("OData-Version");
        if (version != null && !validVersion(version, false)) {
            throw DataverseFault.query("OData version '" + version + "' is not supported.");
        }
        String maxVersion = header.apply("OData-MaxVersion");
        if (maxVersion != null && !validVersion(maxVersion, true)) {
            throw DataverseFault.query("OData version '" + maxVersion + "' is not supported.");
        }
        if (accept != null && !accept.isEmpty()) {
            // joined as Olingo joins them before parsing
            String value = String.join(", ", accept);
            try {
                AcceptType.create(value);
            } catch (IndexOutOfBoundsException e) {
                throw DataverseFault.query("The Accept header '" + value + "' names no media type.");
            } catch (IllegalArgumentException e) {
                // Olingo answers this one itself, with its own message
            }
        }
    }

    private static boolean validVersion(String value, boolean max) {
        try {
            return max ? ODataServiceVersion.isValidMaxODataVersion(value) : ODataServiceVersion.isValidODataVersion(value);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
