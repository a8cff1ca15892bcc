package dev.dve.metadata;

import java.util.List;
import java.util.Optional;

/**
 * One attribute of an entity as the metadata files describe it.
 *
 * @param logicalName     the attribute's logical name, also its column name
 * @param type            the attribute type
 * @param maxLength       for text: the maximum length
 * @param minValue        for numbers: the smallest accepted value (null = the type's range)
 * @param maxValue        for numbers: the largest accepted value
 * @param precision       for decimals and money: digits after the point
 * @param required        requirement level
 * @param validForCreate  a client may set it on create
 * @param validForUpdate  a client may change it on update
 * @param optionSet       the options of a choice, state, status or boolean attribute
 * @param targets         the entities a lookup may point at
 * @param defaultValue    value written on create when the client gives none
 * @param formula         for platform-computed text: the attributes joined by a space
 * @param dateOnly        for date-times: the DateOnly format, a calendar date without time (Edm.Date)
 * @param indexed         whether the column gets an index of its own (filters and sorts on it are common)
 * @param platformOnly    a column the platform keeps for itself (a table's {@code platformColumns}): stored, read and
 *                        written by the emulator's own services, but no Web API property: not in {@code $metadata}, not
 *                        in responses, unknown to {@code $select}, filters and FetchXML
 */
public record AttributeMetadata(
        String logicalName,
        AttributeType type,
        Integer maxLength,
        Number minValue,
        Number maxValue,
        Integer precision,
        RequiredLevel required,
        boolean validForCreate,
        boolean validForUpdate,
        OptionSetMetadata optionSet,
        List<LookupTarget> targets,
        Object defaultValue,
        List<String> formula,
        boolean dateOnly,
        boolean indexed,
        boolean platformOnly) {

    public AttributeMetadata(String logicalName, AttributeType type, Integer maxLength, Number minValue, Number maxValue,
                             Integer precision, RequiredLevel required, boolean validForCreate, boolean validForUpdate,
                             OptionSetMetadata optionSet, List<LookupTarget> targets, Object defaultValue, List<String> formula,
                             boolean dateOnly, boolean indexed) {
        this(logicalName, type, maxLength, minValue, maxValue, precision, required, validForCreate, validForUpdate, optionSet,
                targets, defaultValue, formula, dateOnly, indexed, false);
    }

    /** The same attribute kept for the platform only. */
    public AttributeMetadata asPlatformOnly() {
        return new AttributeMetadata(logicalName, type, maxLength, minValue, maxValue, precision, required, validForCreate,
                validForUpdate, optionSet, targets, defaultValue, formula, dateOnly, indexed, true);
    }

    /** The EDM type the Web API shows the attribute as. */
    public String edmType() {
        return dateOnly ? "Edm.Date" : type.edmType();
    }

    /** The name under which the Web API shows the attribute: {@code _x_value} for lookups. */
    public String webApiName() {
        return type.isLookup() ? "_" + logicalName + "_value" : logicalName;
    }

    /**
     * Whether the lookup may point at more than one entity, so its row keeps the referenced logical name beside the
     * id: several targets, or none documented (any row, as the platform writes it).
     */
    public boolean isPolymorphic() {
        return type.isLookup() && targets.size() != 1;
    }

    /** The entity a single-target lookup points at; null for other attributes and for several or no targets. */
    public String soleTarget() {
        return type.isLookup() && targets.size() == 1 ? targets.get(0).entity() : null;
    }

    public Optional<LookupTarget> target(String entity) {
        return targets.stream().filter(t -> t.entity().equals(entity)).findFirst();
    }

    public boolean isComputed() {
        return formula != null && !formula.isEmpty();
    }
}
