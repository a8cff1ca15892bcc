package dev.dve.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Workflow values to and from the JSON of custom-activity call-outs. */
final class JsonValues {
    private JsonValues() {
    }

    /** A value as plain JSON-able Java (references as {"logicalName","id"}, times as ISO text). */
    static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof Object[] a) {
            return plain(List.of(a));
        }
        if (v instanceof EntityReference r) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("logicalName", r.logicalName());
            out.put("id", r.id() == null ? null : r.id().toString());
            return out;
        }
        if (v instanceof Entity e) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("logicalName", e.logicalName());
            out.put("id", e.id() == null ? null : e.id().toString());
            return out;
        }
        if (v instanceof Instant || v instanceof UUID) {
            return v.toString();
        }
        return v;
    }

    /** A JSON output back into a workflow value. */
    static Object value(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isObject() && n.has("logicalName") && n.has("id")) {
            return new EntityReference(n.get("logicalName").asText(), UUID.fromString(n.get("id").asText()));
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.asInt();
        }
        if (n.isNumber()) {
            return new BigDecimal(n.asText());
        }
        return n.asText();
    }
}
