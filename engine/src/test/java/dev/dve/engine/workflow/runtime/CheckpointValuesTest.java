package dev.dve.engine.workflow.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dve.engine.workflow.xaml.XrmTimeSpan;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every value a run holds survives a checkpoint with its exact type, and a record kept under two names stays one record. */
class CheckpointValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    /** Through JSON text, as a checkpoint is stored. */
    private static Object roundTrip(Object value) throws Exception {
        return CheckpointValues.read(JSON.readTree(JSON.writeValueAsString(CheckpointValues.write(value))));
    }

    private static void assertSameValue(Object expected, Object actual) {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), "type of " + expected);
        if (expected instanceof Entity e) {
            Entity a = (Entity) actual;
            assertEquals(e.logicalName(), a.logicalName());
            assertEquals(e.id(), a.id());
            assertEquals(e.attributes().keySet().stream().toList(), a.attributes().keySet().stream().toList());
            e.attributes().forEach((k, v) -> assertSameValue(v, a.get(k)));
        } else if (expected instanceof Object[] arr) {
            Object[] b = (Object[]) actual;
            assertEquals(arr.length, b.length);
            for (int i = 0; i < arr.length; i++) {
                assertSameValue(arr[i], b[i]);
            }
        } else if (expected instanceof List<?> l) {
            List<?> b = (List<?>) actual;
            assertEquals(l.size(), b.size());
            for (int i = 0; i < l.size(); i++) {
                assertSameValue(l.get(i), b.get(i));
            }
        } else if (expected instanceof Map<?, ?> m) {
            Map<?, ?> b = (Map<?, ?>) actual;
            assertEquals(List.copyOf(m.keySet()), List.copyOf(b.keySet()));
            m.forEach((k, v) -> assertSameValue(v, b.get(k)));
        } else {
            assertEquals(expected, actual);
        }
    }

    @Test
    void everyValueKeepsItsType() throws Exception {
        List<Object> values = new ArrayList<>();
        values.add(null);
        values.add("text, with \"quotes\" and ünicode");
        values.add("");
        values.add(true);
        values.add(Boolean.FALSE);
        values.add(42);                                  // whole numbers, option set values
        values.add(Integer.MIN_VALUE);
        values.add(42L);                                 // a number literal of the designer, big integers
        values.add(Long.MAX_VALUE);
        values.add(0.1 + 0.2);                           // every bit of a double
        values.add(Double.NaN);
        values.add(new BigDecimal("2000.50"));           // money and decimals keep their scale
        values.add(new BigDecimal("1E+3"));
        values.add(ID);
        values.add(Instant.parse("2024-05-01T08:00:00.123456789Z"));
        values.add(Instant.parse("0001-01-01T00:00:00Z")); // DateTime.MinValue
        values.add(new EntityReference("account", ID, "Acme"));
        values.add(new EntityReference("account", ID));
        values.add(new EntityReference(null, null));       // New EntityReference()
        values.add(new XrmTimeSpan(1, 2, 3, 4, 5));
        values.add(new CrmTypeLiteral.Token("Canceled"));
        values.add(new ArrayList<>(List.of(new EntityReference("contact", ID), new EntityReference("systemuser", ID, "Ann")))); // a party list
        values.add(new Object[]{new CrmTypeLiteral.Token("String"), "lit", 5L, null});                               // New Object() { … }
        Map<String, Object> dictionary = new LinkedHashMap<>();
        dictionary.put("b", 1);
        dictionary.put("a", null);
        values.add(dictionary);
        values.add(new Entity("task").set("subject", "s").set("prioritycode", 2).set("actualdurationminutes", 30L)
                .set("scheduledend", Instant.parse("2024-05-02T00:00:00Z")).set("regardingobjectid", new EntityReference("account", ID))
                .set("activityid", ID).set("description", null).set("isbilled", false).set("exchangerate", new BigDecimal("1.0000000000"))
                .set("percentcomplete", 12.5));
        values.add(new Entity(null));                       // New Entity()
        Entity withId = new Entity("account", ID);
        withId.set("creditlimit", new BigDecimal("5000.00"));
        values.add(withId);

        for (Object v : values) {
            assertSameValue(v, roundTrip(v));
        }
        assertEquals(2, ((BigDecimal) roundTrip(new BigDecimal("2000.50"))).scale());
    }

    @Test
    void aRecordKeptUnderTwoNamesIsStillOneRecord() throws Exception {
        Entity task = new Entity("task").set("subject", "s");
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("CreateStep1_localParameter#Temp", task);
        created.put("CreateStep1_localParameter", task);
        created.put("list", new ArrayList<>(List.of(task)));
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) roundTrip(created);
        assertSame(back.get("CreateStep1_localParameter#Temp"), back.get("CreateStep1_localParameter"));
        assertSame(back.get("CreateStep1_localParameter"), ((List<?>) back.get("list")).get(0));
    }

    @Test
    void sharingDoesNotDependOnTheOrderOfKeysInTheStore() throws Exception {
        Entity task = new Entity("task").set("subject", "s");
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("first", task);
        created.put("second", task);
        ObjectNode written = (ObjectNode) CheckpointValues.write(created);
        // a store that gives keys back in another order: the reference now comes before the shared record
        ObjectNode inner = (ObjectNode) written.get("map");
        ObjectNode reversed = JSON.createObjectNode();
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = inner.fieldNames(); it.hasNext(); ) {
            keys.add(0, it.next());
        }
        keys.forEach(k -> reversed.set(k, inner.get(k)));
        written.set("map", reversed);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) CheckpointValues.read(written);
        assertSame(back.get("first"), back.get("second"));
        assertEquals("s", ((Entity) back.get("first")).get("subject"));
    }

    @Test
    void aValueOfAnotherTypeIsAProgrammingError() {
        assertThrows(IllegalStateException.class, () -> CheckpointValues.write(1.5f));
        assertThrows(IllegalStateException.class, () -> CheckpointValues.write(new Object()));
        assertThrows(IllegalStateException.class, () -> CheckpointValues.write(new Entity("task").set("x", (short) 1)));
        assertThrows(IllegalStateException.class, () -> CheckpointValues.write(Map.of(1, "not a text key")));
        JsonNode unknown = JSON.createObjectNode().put("float", "1.5");
        assertThrows(IllegalStateException.class, () -> CheckpointValues.read(unknown));
    }

    @Test
    void aCheckpointKeepsItsPositionTimesScopesAndRecords() {
        Entity task = new Entity("task", ID).set("subject", "s");
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("Output", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Greeting", "Acme");
        body.put("Created", task);
        Map<String, Entity> created = new LinkedHashMap<>();
        created.put("CreateStep1_localParameter", task);
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("Target", new EntityReference("account", ID));
        Instant until = Instant.parse("2024-05-03T08:00:00Z");
        Instant since = Instant.parse("2024-05-01T08:00:00Z");
        RunCheckpoint c = new RunCheckpoint(StepPath.parse("0.4.2"), false, until, since,
                List.of(new RunCheckpoint.SavedScope(null, process), new RunCheckpoint.SavedScope(StepPath.BODY, new LinkedHashMap<>()),
                        new RunCheckpoint.SavedScope(StepPath.parse("0"), body)),
                arguments, created);

        RunCheckpoint back = RunCheckpoint.fromJson(c.toJson());
        assertEquals(StepPath.parse("0.4.2"), back.at());
        assertEquals(false, back.done());
        assertEquals(until, back.until());
        assertEquals(since, back.waitingSince());
        assertEquals(process, back.scope(null));
        assertEquals(Map.of(), back.scope(StepPath.BODY));
        assertEquals("Acme", back.scope(StepPath.parse("0")).get("Greeting"));
        assertSame(back.scope(StepPath.parse("0")).get("Created"), back.createdEntities().get("CreateStep1_localParameter"));
        assertEquals(new EntityReference("account", ID), back.arguments().get("Target"));
        assertThrows(IllegalStateException.class, () -> back.scope(StepPath.parse("0.1")));
        assertThrows(IllegalStateException.class, () -> RunCheckpoint.fromJson("{\"version\":99}"));
        assertThrows(IllegalStateException.class, () -> RunCheckpoint.fromJson("not json"));
    }
}
