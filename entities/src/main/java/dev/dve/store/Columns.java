package dev.dve.store;

import dev.dve.metadata.AttributeMetadata;

/** Physical column names. Internal columns start with {@code dve_} and never reach a client. */
public final class Columns {
    private Columns() {
    }

    /** The column holding a polymorphic lookup's target entity. */
    public static String lookupType(AttributeMetadata a) {
        return "dve_" + a.logicalName() + "_type";
    }

    /** The alias under which a query returns a lookup's primary name. */
    public static String lookupName(AttributeMetadata a) {
        return "dve_" + a.logicalName() + "_name";
    }
}
