package dev.dve.auth.security;

import java.util.Locale;

/** How far a privilege reaches, with the masks stored in {@code roleprivileges.privilegedepthmask}. */
public enum PrivilegeDepth {
    BASIC(1), LOCAL(2), DEEP(4), GLOBAL(8);

    private final int mask;

    PrivilegeDepth(int mask) {
        this.mask = mask;
    }

    public int mask() {
        return mask;
    }

    public static PrivilegeDepth fromMask(int mask) {
        for (PrivilegeDepth d : values()) {
            if (d.mask == mask) {
                return d;
            }
        }
        throw new IllegalArgumentException("Not a privilege depth mask: " + mask);
    }

    /** Parses "Basic", "Local", "Deep", "Global" (also the UI names User, Business Unit, Parent: Child, Organization). */
    public static PrivilegeDepth parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "basic", "user" -> BASIC;
            case "local", "business unit", "businessunit" -> LOCAL;
            case "deep", "parent: child business units", "parentchild" -> DEEP;
            case "global", "organization" -> GLOBAL;
            default -> throw new IllegalArgumentException("Unknown privilege depth '" + s + "'");
        };
    }
}
