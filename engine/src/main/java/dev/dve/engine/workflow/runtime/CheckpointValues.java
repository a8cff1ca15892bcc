package dev.dve.engine.workflow.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.engine.workflow.xaml.XrmTimeSpan;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The values a run holds (variables, records, arguments) as typed JSON, so a resumed run sees exactly what the
 * stopped one had. Strings and booleans are plain JSON; null is null; every other value is a one-key object naming
 * its type: {@code {"int":5}}, {@code {"long":5}}, {@code {"double":"1.5"}}, {@code {"decimal":"2.50"}},
 * {@code {"guid":"…"}}, {@code {"datetime":"…Z"}}, {@code {"ref":{"logicalName","id","name"}}},
 * {@code {"entity":{"logicalName","id","attributes":{…}}}}, {@code {"list":[…]}}, {@code {"array":[…]}} (an
 * {@code Object[]}), {@code {"map":{…}}}, {@code {"timespan":{"years",…}}}, {@code {"token":"Canceled"}}.
 * Decimals and doubles travel as text so scale and every bit survive; money is a decimal and an option set value an
 * int, as the interpreter holds them.
 * <p>
 * One record often sits under two names (the designer's {@code CreatedEntities("X#Temp")} and {@code ("X")}); a
 * {@link Writer} keeps that: a record, list, array or map reached more than once is written the first time with
 * {@code "share":n} and afterwards as {@code {"same":n}}, and a {@link Reader} gives back one object for both.
 * A value of any other type is a programming error, never dropped.
 */
final class CheckpointValues {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CheckpointValues() {
    }

    static JsonNode write(Object value) {
        return new Writer(value).write(value);
    }

    static Object read(JsonNode node) {
        return new Reader(node).read(node);
    }

    /** Writes values that may share objects; built over every value it will write, in the order it writes them. */
    static final class Writer {
        private final Map<Object, Integer> seen = new IdentityHashMap<>();
        private final Map<Object, Integer> shared = new IdentityHashMap<>();
        private final Map<Object, Boolean> written = new IdentityHashMap<>();

        Writer(Object... roots) {
            for (Object r : roots) {
                count(r);
            }
        }

        private void count(Object v) {
            if (!isContainer(v)) {
                return;
            }
            if (seen.merge(v, 1, Integer::sum) > 1) {
                shared.putIfAbsent(v, shared.size());
                return;
            }
            if (v instanceof Entity e) {
                e.attributes().values().forEach(this::count);
            } else if (v instanceof List<?> l) {
                l.forEach(this::count);
            } else if (v instanceof Object[] a) {
                for (Object x : a) {
                    count(x);
                }
            } else if (v instanceof Map<?, ?> m) {
                m.values().forEach(this::count);
            }
        }

        private static boolean isContainer(Object v) {
            return v instanceof Entity || v instanceof List<?> || v instanceof Object[] || v instanceof Map<?, ?>;
        }

        JsonNode write(Object v) {
            if (v == null) {
                return JSON.nullNode();
            }
            if (v instanceof String s) {
                return JSON.textNode(s);
            }
            if (v instanceof Boolean b) {
                return JSON.booleanNode(b);
            }
            if (v instanceof Integer i) {
                return tagged("int", JSON.numberNode(i));
            }
            if (v instanceof Long l) {
                return tagged("long", JSON.numberNode(l));
            }
            if (v instanceof Double d) {
                return tagged("double", JSON.textNode(d.toString()));
            }
            if (v instanceof BigDecimal d) {
                return tagged("decimal", JSON.textNode(d.toString()));
            }
            if (v instanceof UUID u) {
                return tagged("guid", JSON.textNode(u.toString()));
            }
            if (v instanceof Instant t) {
                return tagged("datetime", JSON.textNode(t.toString()));
            }
            if (v instanceof EntityReference r) {
                ObjectNode o = JSON.objectNode();
                o.put("logicalName", r.logicalName());
                o.put("id", r.id() == null ? null : r.id().toString());
                o.put("name", r.name());
                return tagged("ref", o);
            }
            if (v instanceof XrmTimeSpan s) {
                ObjectNode o = JSON.objectNode();
                o.put("years", s.years()).put("months", s.months()).put("days", s.days()).put("hours", s.hours()).put("minutes", s.minutes());
                return tagged("timespan", o);
            }
            if (v instanceof CrmTypeLiteral.Token t) {
                return tagged("token", JSON.textNode(t.name()));
            }
            if (isContainer(v)) {
                return container(v);
            }
            throw new IllegalStateException("A workflow value of type " + v.getClass().getName() + " cannot be kept in a checkpoint");
        }

        private JsonNode container(Object v) {
            Integer share = shared.get(v);
            if (share != null && written.put(v, Boolean.TRUE) != null) {
                return tagged("same", JSON.numberNode(share));
            }
            ObjectNode out;
            if (v instanceof Entity e) {
                ObjectNode o = JSON.objectNode();
                o.put("logicalName", e.logicalName());
                o.put("id", e.id() == null ? null : e.id().toString());
                ObjectNode attributes = o.putObject("attributes");
                e.attributes().forEach((k, x) -> attributes.set(k, write(x)));
                out = tagged("entity", o);
            } else if (v instanceof List<?> l) {
                ArrayNode a = JSON.arrayNode();
                l.forEach(x -> a.add(write(x)));
                out = tagged("list", a);
            } else if (v instanceof Object[] arr) {
                ArrayNode a = JSON.arrayNode();
                for (Object x : arr) {
                    a.add(write(x));
                }
                out = tagged("array", a);
            } else {
                ObjectNode o = JSON.objectNode();
                ((Map<?, ?>) v).forEach((k, x) -> {
                    if (!(k instanceof String key)) {
                        throw new IllegalStateException("A workflow dictionary key of type " + (k == null ? "null" : k.getClass().getName())
                                + " cannot be kept in a checkpoint");
                    }
                    o.set(key, write(x));
                });
                out = tagged("map", o);
            }
            if (share != null) {
                out.put("share", share);
            }
            return out;
        }

        private static ObjectNode tagged(String type, JsonNode value) {
            ObjectNode o = JSON.objectNode();
            o.set(type, value);
            return o;
        }
    }

    /**
     * Reads values written by one {@link Writer}. It indexes the shared objects of every value first, so it does not
     * depend on the order in which a store gives back the keys of a JSON object.
     */
    static final class Reader {
        private final Map<Integer, JsonNode> sharedNodes = new HashMap<>();
        private final Map<Integer, Object> shared = new HashMap<>();

        Reader(JsonNode... roots) {
            for (JsonNode r : roots) {
                index(r);
            }
        }

        private void index(JsonNode n) {
            if (n == null || !n.isObject()) {
                return;
            }
            String type = type(n);
            if (n.has("share")) {
                sharedNodes.put(n.get("share").intValue(), n);
            }
            JsonNode v = n.get(type);
            switch (type) {
                case "entity" -> v.path("attributes").forEach(this::index);
                case "list", "array", "map" -> v.forEach(this::index);
                default -> {
                }
            }
        }

        /** The type key of a tagged value: its one key besides {@code share}. */
        private static String type(JsonNode n) {
            for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("share")) {
                    return name;
                }
            }
            throw new IllegalStateException("Not a checkpoint value: " + n);
        }

        Object read(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            if (n.isTextual()) {
                return n.textValue();
            }
            if (n.isBoolean()) {
                return n.booleanValue();
            }
            if (!n.isObject()) {
                throw new IllegalStateException("Not a checkpoint value: " + n);
            }
            String type = type(n);
            JsonNode v = n.get(type);
            Integer share = n.has("share") ? n.get("share").intValue() : null;
            if (share != null && shared.containsKey(share)) {
                return shared.get(share); // already built through a reference read earlier
            }
            return switch (type) {
                case "int" -> v.intValue();
                case "long" -> v.longValue();
                case "double" -> Double.valueOf(v.textValue());
                case "decimal" -> new BigDecimal(v.textValue());
                case "guid" -> UUID.fromString(v.textValue());
                case "datetime" -> Instant.parse(v.textValue());
                case "ref" -> new EntityReference(text(v, "logicalName"), guid(v), text(v, "name"));
                case "timespan" -> new XrmTimeSpan(v.get("years").intValue(), v.get("months").intValue(), v.get("days").intValue(),
                        v.get("hours").intValue(), v.get("minutes").intValue());
                case "token" -> new CrmTypeLiteral.Token(v.textValue());
                case "same" -> same(v.intValue());
                case "entity" -> {
                    Entity e = new Entity(text(v, "logicalName"), guid(v));
                    remember(share, e);
                    v.get("attributes").fields().forEachRemaining(f -> e.set(f.getKey(), read(f.getValue())));
                    yield e;
                }
                case "list" -> {
                    List<Object> l = new ArrayList<>();
                    remember(share, l);
                    v.forEach(x -> l.add(read(x)));
                    yield l;
                }
                case "array" -> {
                    Object[] a = new Object[v.size()];
                    remember(share, a);
                    for (int i = 0; i < a.length; i++) {
                        a[i] = read(v.get(i));
                    }
                    yield a;
                }
                case "map" -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    remember(share, m);
                    v.fields().forEachRemaining(f -> m.put(f.getKey(), read(f.getValue())));
                    yield m;
                }
                default -> throw new IllegalStateException("Unknown checkpoint value type '" + type + "'");
            };
        }

        private Object same(int share) {
            if (shared.containsKey(share)) {
                return shared.get(share);
            }
            JsonNode node = sharedNodes.get(share);
            if (node == null) {
                throw new IllegalStateException("Checkpoint refers to shared value " + share + " that it does not hold");
            }
            return read(node);
        }

        private void remember(Integer share, Object container) {
            if (share != null) {
                shared.put(share, container);
            }
        }

        private static String text(JsonNode o, String field) {
            JsonNode f = o.get(field);
            return f == null || f.isNull() ? null : f.textValue();
        }

        private static UUID guid(JsonNode o) {
            String id = text(o, "id");
            return id == null ? null : UUID.fromString(id);
        }
    }
}
