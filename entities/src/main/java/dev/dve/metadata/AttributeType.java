package dev.dve.metadata;

/** Dataverse attribute types, with the EDM primitive each one surfaces as in the Web API. */
public enum AttributeType {
    UNIQUEIDENTIFIER("Edm.Guid"),
    STRING("Edm.String"),
    MEMO("Edm.String"),
    INTEGER("Edm.Int32"),
    BIGINT("Edm.Int64"),
    DECIMAL("Edm.Decimal"),
    DOUBLE("Edm.Double"),
    MONEY("Edm.Decimal"),
    BOOLEAN("Edm.Boolean"),
    DATETIME("Edm.DateTimeOffset"),
    PICKLIST("Edm.Int32"),
    STATE("Edm.Int32"),
    STATUS("Edm.Int32"),
    LOOKUP("Edm.Guid"),
    OWNER("Edm.Guid"),
    CUSTOMER("Edm.Guid"),
    ENTITYNAME("Edm.String"),
    /** A choice of several values, written as a comma list of option values ("1,3"). */
    MULTISELECTPICKLIST("Edm.String");

    private final String edmType;

    AttributeType(String edmType) {
        this.edmType = edmType;
    }

    public String edmType() {
        return edmType;
    }

    /** Lookup-like attributes are exposed as {@code _x_value} plus navigation properties. */
    public boolean isLookup() {
        return this == LOOKUP || this == OWNER || this == CUSTOMER;
    }

    /** Attributes whose integer value must be one of an option set's values. */
    public boolean isOptionSet() {
        return this == PICKLIST || this == STATE || this == STATUS;
    }

    public boolean isText() {
        return this == STRING || this == MEMO || this == ENTITYNAME;
    }

    /** Whether a column of this type can be compared with a column of the other (column comparison, FetchXML valueof). */
    public boolean comparableWith(AttributeType other) {
        return edmType.equals(other.edmType) || (isNumeric() && other.isNumeric());
    }

    private boolean isNumeric() {
        return switch (this) {
            case INTEGER, BIGINT, DECIMAL, DOUBLE, MONEY -> true;
            default -> false;
        };
    }

    public static AttributeType parse(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
