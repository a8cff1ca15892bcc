package dev.dve.metadata;

/** Attribute requirement levels; only SystemRequired and ApplicationRequired are enforced on create. */
public enum RequiredLevel {
    NONE, RECOMMENDED, APPLICATIONREQUIRED, SYSTEMREQUIRED;

    public boolean enforced() {
        return this == APPLICATIONREQUIRED || this == SYSTEMREQUIRED;
    }
}
