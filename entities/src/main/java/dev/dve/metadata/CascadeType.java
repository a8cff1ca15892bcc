package dev.dve.metadata;

import java.util.Locale;

/** What an action on the referenced row does to the referencing rows of a one-to-many relationship. */
public enum CascadeType {
    /** The action reaches every referencing row. */
    CASCADE("Cascade"),
    /** The action stays on the referenced row. */
    NO_CASCADE("NoCascade"),
    /** Delete only: the referencing rows keep living, with the lookup cleared. */
    REMOVE_LINK("RemoveLink"),
    /** Delete only: refused while referencing rows exist. */
    RESTRICT("Restrict"),
    /** The action reaches the referencing rows that are active. */
    ACTIVE("Active"),
    /** The action reaches the referencing rows owned by the referenced row's owner. */
    USER_OWNED("UserOwned");

    private final String label;

    CascadeType(String label) {
        this.label = label;
    }

    /** The name Dataverse's metadata gives the value. */
    public String label() {
        return label;
    }

    public static CascadeType parse(String text) {
        for (CascadeType t : values()) {
            if (t.label.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException(text);
    }
}
