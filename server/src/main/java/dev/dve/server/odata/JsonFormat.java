package dev.dve.server.odata;

import dev.dve.metadata.MetadataCatalog;
import org.apache.olingo.commons.api.format.ContentType;

/**
 * The OData JSON format an answer was negotiated to: how much control information it carries
 * ({@code odata.metadata=none|minimal|full}) and whether {@code Edm.Int64} and {@code Edm.Decimal} values are written
 * as strings ({@code IEEE754Compatible=true}). Full metadata needs the service root (for {@code @odata.id}) and the
 * catalog (for the navigation links of each record).
 */
record JsonFormat(Level level, boolean ieee754Compatible, String serviceRoot, MetadataCatalog catalog) {
    enum Level { NONE, MINIMAL, FULL }

    /** From the content type Olingo negotiated (null: the default, minimal metadata). */
    static JsonFormat of(ContentType negotiated, String serviceRoot, MetadataCatalog catalog) {
        String metadata = negotiated == null ? null : negotiated.getParameter(ContentType.PARAMETER_ODATA_METADATA);
        Level level = ContentType.VALUE_ODATA_METADATA_FULL.equalsIgnoreCase(metadata) ? Level.FULL
                : ContentType.VALUE_ODATA_METADATA_NONE.equalsIgnoreCase(metadata) ? Level.NONE : Level.MINIMAL;
        boolean ieee = negotiated != null && "true".equalsIgnoreCase(negotiated.getParameter(ContentType.PARAMETER_IEEE754_COMPATIBLE));
        return new JsonFormat(level, ieee, serviceRoot, catalog);
    }

    static JsonFormat minimal(String serviceRoot, MetadataCatalog catalog) {
        return new JsonFormat(Level.MINIMAL, false, serviceRoot, catalog);
    }

    boolean full() {
        return level == Level.FULL;
    }

    /** Whether the context URL, ETags and the other control information besides count and next link are written. */
    boolean controlInformation() {
        return level != Level.NONE;
    }

    /** The answer's Content-Type. */
    String contentType() {
        return "application/json; odata.metadata=" + level.name().toLowerCase(java.util.Locale.ROOT)
                + (ieee754Compatible ? "; IEEE754Compatible=true" : "");
    }
}
