package dev.dve.engine.workflow.runtime;

import dev.dve.record.EntityReference;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values compared the way a workflow condition compares them. */
class CrmValuesTest {
    @Test
    void numbersCompareNumericallyWhateverTheirJavaType() {
        assertTrue(CrmValues.equal(5, new BigDecimal("5.00")));
        assertTrue(CrmValues.equal(new BigDecimal("5"), "5"));
        assertTrue(CrmValues.compare(10L, 9) > 0);
    }

    @Test
    void textComparesIgnoringCase() {
        assertTrue(CrmValues.equal("Contoso", "contoso"));
        assertTrue(CrmValues.compare("a", "B") < 0);
    }

    @Test
    void recordsCompareByIdAndDatesAsInstants() {
        UUID id = UUID.randomUUID();
        assertTrue(CrmValues.equal(new EntityReference("account", id), id));
        assertTrue(CrmValues.equal(Instant.parse("2024-05-01T00:00:00Z"), "2024-05-01"));
        assertFalse(CrmValues.equal(Instant.parse("2024-05-01T00:00:01Z"), "2024-05-01T00:00:00Z"));
    }

    @Test
    void aNumberAndTextThatIsNoNumberDifferAndSoDoADateAndTextThatIsNoDate() {
        assertFalse(CrmValues.equal(new BigDecimal("5"), "five"));
        assertFalse(CrmValues.equal(Instant.parse("2024-05-01T00:00:00Z"), "soon"));
    }

    @Test
    void nullEqualsOnlyNull() {
        assertTrue(CrmValues.equal(null, null));
        assertFalse(CrmValues.equal(null, ""));
        assertFalse(CrmValues.equal(0, null));
    }

    @Test
    void truthiness() {
        assertTrue(CrmValues.bool("TRUE"));
        assertTrue(CrmValues.bool(1));
        assertFalse(CrmValues.bool("no"));
        assertFalse(CrmValues.truthy(null));
        assertEquals(true, CrmValues.truthy(Boolean.TRUE));
    }
}
