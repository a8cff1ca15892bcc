package dev.dve.server.odata;

import dev.dve.fault.DataverseFault;
import org.apache.olingo.commons.api.edm.constants.ODataServiceVersion;

/**
 * The {@code OData-Version} and {@code OData-MaxVersion} request headers, checked with Olingo's own rules before
 * Olingo sees them: Olingo reads them with {@code Double.parseDouble}, so a value that is not a number ({@code x},
 * {@code 4.x}, {@code 4.0.1}) fails with a NumberFormatException instead of its "not supported" error.
 */
final class VersionHeaders {
    private VersionHeaders() {
    }

    static void check(String version, String maxVersion) {
        if (version != null && !valid(version, false)) {
            throw DataverseFault.query("OData version '" + version + "' is not supported.");
        }
        if (maxVersion != null && !valid(maxVersion, true)) {
            throw DataverseFault.query("OData version '" + maxVersion + "' is not supported.");
        }
    }

    private static boolean valid(String value, boolean max) {
        try {
            return max ? ODataServiceVersion.isValidMaxODataVersion(value) : ODataServiceVersion.isValidODataVersion(value);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
