package dev.dve.engine.organization;

import dev.dve.auth.CallerContext;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.AttributeType;
import dev.dve.metadata.EntityMetadata;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The columns the platform writes, never the caller: audit stamps (created/modified on and by, on behalf of),
 * ownership (owning user, team and business unit), the table-name columns of lookups, computed columns and defaults.
 * Each is written only where the table has the column.
 */
final class PlatformAttributes {
    private final Supplier<Instant> clock;

    PlatformAttributes(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /** Defaults of the columns the row leaves unset. */
    void defaults(EntityMetadata e, Entity row) {
        for (AttributeMetadata a : e.attributes()) {
            if (a.defaultValue() != null && row.get(a.logicalName()) == null && !row.contains(a.logicalName())) {
                row.set(a.logicalName(), defaultValue(a));
            }
        }
    }

    /** The creation stamps; {@code overriddencreatedon}, when given, becomes createdon (the override's time is kept). */
    void created(EntityMetadata e, Entity row, CallerContext caller) {
        Instant now = clock.get();
        Object overridden = row.remove("overriddencreatedon");
        set(e, row, "createdon", overridden != null ? overridden : now);
        set(e, row, "modifiedon", now);
        EntityReference user = new EntityReference("systemuser", caller.userId());
        set(e, row, "createdby", user);
        set(e, row, "modifiedby", user);
        if (caller.onBehalfOf() != null) {
            EntityReference real = new EntityReference("systemuser", caller.onBehalfOf());
            set(e, row, "createdonbehalfby", real);
            set(e, row, "modifiedonbehalfby", real);
        }
        if (e.hasAttribute("overriddencreatedon") && overridden != null) {
            row.set("overriddencreatedon", now);
        }
        // a new system job's correlation (system-required): the one it was created with, otherwise a new one, as of now
        if (e.hasAttribute("correlationid") && row.get("correlationid") == null) {
            set(e, row, "correlationid", java.util.UUID.randomUUID());
        }
        if (e.hasAttribute("correlationupdatedtime") && row.get("correlationupdatedtime") == null) {
            set(e, row, "correlationupdatedtime", now);
        }
    }

    /** The modification stamps of a write by the caller (or by the platform on its behalf). */
    void modified(EntityMetadata e, Entity row, CallerContext caller) {
        set(e, row, "modifiedon", clock.get());
        set(e, row, "modifiedby", new EntityReference("systemuser", caller.userId()));
        if (caller.onBehalfOf() != null) {
            set(e, row, "modifiedonbehalfby", new EntityReference("systemuser", caller.onBehalfOf()));
        }
    }

    /** Ownership columns following the owner: the owning user or team, and the owner's business unit. */
    void owned(EntityMetadata e, Entity row, EntityReference owner, Object ownersBusinessUnit) {
        row.set("ownerid", new EntityReference(owner.logicalName(), owner.id()));
        set(e, row, "owninguser", owner.logicalName().equals("systemuser") ? new EntityReference("systemuser", owner.id()) : null);
        set(e, row, "owningteam", owner.logicalName().equals("team") ? new EntityReference("team", owner.id()) : null);
        set(e, row, "owningbusinessunit", ownersBusinessUnit);
    }

    /**
     * The platform-maintained table-name columns of lookups ({@code owneridtype}, {@code parentcustomeridtype},
     * {@code regardingobjecttypecode}, {@code owningextensiontypecode}) follow the lookup written in this row.
     */
    void lookupTypes(EntityMetadata e, Entity row) {
        for (AttributeMetadata a : e.attributes()) {
            if (a.type() != AttributeType.ENTITYNAME || a.validForCreate()) {
                continue;
            }
            String name = a.logicalName();
            String lookup = name.endsWith("typecode") ? name.substring(0, name.length() - "typecode".length()) + "id"
                    : name.endsWith("type") ? name.substring(0, name.length() - "type".length()) : null;
            if (lookup != null && row.contains(lookup) && e.attribute(lookup).map(l -> l.type().isLookup()).orElse(false)) {
                row.set(name, row.get(lookup) instanceof EntityReference r ? r.logicalName() : null);
            }
        }
    }

    /** Computed columns whose inputs the row writes, from the values the row will have. */
    void formulas(EntityMetadata e, Entity row, Map<String, Object> values) {
        for (AttributeMetadata a : e.attributes()) {
            if (a.isComputed() && a.formula().stream().anyMatch(row::contains)) {
                row.set(a.logicalName(), AttributeRules.compute(a, values));
            }
        }
    }

    /** Sets a column the table has; a table without it is left as it is. */
    static void set(EntityMetadata e, Entity row, String attribute, Object value) {
        if (e.hasAttribute(attribute)) {
            row.set(attribute, value);
        }
    }

    private static Object defaultValue(AttributeMetadata a) {
        Object d = a.defaultValue();
        return switch (a.type()) {
            case MONEY, DECIMAL -> d instanceof Number n ? new java.math.BigDecimal(n.toString()) : d;
            case DOUBLE -> d instanceof Number n ? n.doubleValue() : d;
            case BIGINT -> d instanceof Number n ? n.longValue() : d;
            case INTEGER, PICKLIST, STATE, STATUS -> d instanceof Number n ? n.intValue() : d;
            default -> d;
        };
    }
}
