package dev.dve.server.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Writes records in the Web API's JSON: {@code @odata.etag} first, lookups as {@code _x_value}, and each
 * requested annotation immediately before the value it describes. Written by hand with a map-free attribute list
 * instead of Olingo's serializer, which scans every property of these wide entities per value.
 */
final class RecordJsonWriter {
    private final String currencySymbol;

    RecordJsonWriter(String currencySymbol) {
        this.currencySymbol = currencySymbol;
    }

    void writeEntity(JsonGenerator g, EntityMetadata e, Entity row, List<AttributeMetadata> attributes,
                     AnnotationFilter annotations, boolean omitNulls) throws IOException {
        Object version = row.get("versionnumber");
        if (version != null) {
            g.writeStringField("@odata.etag", etag((Long) version));
        }
        boolean formatted = annotations.includes(AnnotationFilter.FORMATTED_VALUE);
        for (AttributeMetadata a : attributes) {
            Object v = row.get(a.logicalName());
            if (v == null && omitNulls) {
                continue;
            }
            String name = a.webApiName();
            if (v != null && formatted) {
                String f = ValueFormatter.format(a, v, currencySymbol);
                if (f != null) {
                    g.writeStringField(name + "@" + AnnotationFilter.FORMATTED_VALUE, f);
                }
            }
            if (v instanceof EntityReference r) {
                if (annotations.includes(AnnotationFilter.ASSOCIATED_NAVIGATION)) {
                    g.writeStringField(name + "@" + AnnotationFilter.ASSOCIATED_NAVIGATION,
                            a.target(r.logicalName()).map(t -> t.navigation()).orElse(a.logicalName()));
                }
                if (annotations.includes(AnnotationFilter.LOOKUP_LOGICAL_NAME)) {
                    g.writeStringField(name + "@" + AnnotationFilter.LOOKUP_LOGICAL_NAME, r.logicalName());
                }
            }
            g.writeFieldName(name);
            if (a.dateOnly() && v instanceof Instant t) {
                g.writeString(t.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString());
            } else {
                writeValue(g, v);
            }
        }
    }

    static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof EntityReference r) {
            g.writeString(r.id().toString());
        } else if (v instanceof UUID u) {
            g.writeString(u.toString());
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(ValueFormatter.plain(d));
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Instant t) {
            g.writeString(t.truncatedTo(ChronoUnit.SECONDS).toString());
        } else {
            g.writeString(v.toString());
        }
    }

    static String etag(long version) {
        return "W/\"" + version + "\"";
    }
}
