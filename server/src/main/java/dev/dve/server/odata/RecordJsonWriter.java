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
                     AnnotationFilter annotations, boolean omitNulls, JsonFormat format) throws IOException {
        Object version = e.clientVersioned() ? row.get("versionnumber") : null;
        if (format.full()) {
            g.writeStringField("@odata.type", "#" + CatalogEdmProvider.NAMESPACE + "." + e.logicalName());
            if (row.id() != null) {
                g.writeStringField("@odata.id", format.serviceRoot() + "/" + editLink(e, row.id()));
            }
        }
        if (version != null && format.controlInformation()) {
            g.writeStringField("@odata.etag", etag((Long) version));
        }
        if (format.full() && row.id() != null) {
            g.writeStringField("@odata.editLink", editLink(e, row.id()));
        }
        boolean formatted = annotations.includes(AnnotationFilter.FORMATTED_VALUE);
        for (AttributeMetadata a : attributes) {
            if (a.platformOnly()) {
                continue;
            }
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
            if (format.full()) {
                String type = typeAnnotation(a.edmType());
                if (type != null) {
                    g.writeStringField(name + "@odata.type", type);
                }
            }
            g.writeFieldName(name);
            if (a.dateOnly() && v instanceof Instant t) {
                g.writeString(t.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString());
            } else {
                writeValue(g, v, format.ieee754Compatible());
            }
        }
    }

    /**
     * Full metadata's navigation and association links of a record, relative to the service root, for each navigation
     * property of its type except the expanded ones (whose content follows).
     */
    static void writeNavigationLinks(JsonGenerator g, EntityMetadata e, Entity row, JsonFormat format,
                                     java.util.Set<String> expanded) throws IOException {
        if (!format.full() || row.id() == null) {
            return;
        }
        String self = editLink(e, row.id());
        List<String> navigations = new java.util.ArrayList<>();
        format.catalog().manyToOne(e.logicalName()).forEach(r -> navigations.add(r.referencingNavigation()));
        format.catalog().oneToMany(e.logicalName()).forEach(r -> navigations.add(r.schemaName()));
        for (String n : navigations) {
            if (expanded.contains(n)) {
                continue;
            }
            g.writeStringField(n + "@odata.associationLink", self + "/" + n + "/$ref");
            g.writeStringField(n + "@odata.navigationLink", self + "/" + n);
        }
    }

    private static String editLink(EntityMetadata e, java.util.UUID id) {
        return e.entitySetName() + "(" + id + ")";
    }

    /**
     * The {@code @odata.type} full metadata gives a primitive property: its unqualified type name, except for the
     * types JSON itself tells apart (string, boolean, double).
     */
    static String typeAnnotation(String edmType) {
        return switch (edmType) {
            case "Edm.String", "Edm.Boolean", "Edm.Double" -> null;
            default -> "#" + (edmType.startsWith("Edm.") ? edmType.substring(4) : edmType);
        };
    }

    static void writeValue(JsonGenerator g, Object v) throws IOException {
        writeValue(g, v, false);
    }

    /** @param ieee754Compatible whether Int64 and Decimal values are written as strings */
    static void writeValue(JsonGenerator g, Object v, boolean ieee754Compatible) throws IOException {
        if (ieee754Compatible && v instanceof Long l) {
            g.writeString(l.toString());
        } else if (ieee754Compatible && v instanceof BigDecimal d) {
            g.writeString(ValueFormatter.plain(d));
        } else if (v == null) {
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
