package dev.dve.auth.security;

/** The eight entity privileges, with the {@code accessright} flag each has in the privilege table. */
public enum AccessRight {
    CREATE("Create", 32), READ("Read", 1), WRITE("Write", 2), DELETE("Delete", 65536),
    APPEND("Append", 4), APPENDTO("AppendTo", 16), ASSIGN("Assign", 524288), SHARE("Share", 262144);

    private final String verb;
    private final int flag;

    AccessRight(String verb, int flag) {
        this.verb = verb;
        this.flag = flag;
    }

    public int flag() {
        return flag;
    }

    public String verb() {
        return verb;
    }

    /** {@code prvReadAccount} for READ and "Account". */
    public String privilegeName(String entityPrivilegeName) {
        return "prv" + verb + entityPrivilegeName;
    }

    /** The access-rights name Dataverse prints in record-level denials. */
    public String accessRightsName() {
        return verb + "Access";
    }

    /** Every right's flag: the masks a share may hold. */
    public static final int ALL = 1 | 2 | 4 | 16 | 32 | 65536 | 262144 | 524288;

    /**
     * Reads the Web API's {@code AccessRights} flags: member names joined by commas ({@code "ReadAccess, WriteAccess"},
     * {@code "None"}) or the number; null when it is neither.
     */
    public static Integer parseMask(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return null;
        }
        if (t.chars().allMatch(Character::isDigit)) {
            try {
                int n = Integer.parseInt(t);
                return (n & ~ALL) == 0 ? n : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        int mask = 0;
        for (String part : t.split(",", -1)) {
            String name = part.trim();
            if (name.equals("None")) {
                continue;
            }
            AccessRight found = null;
            for (AccessRight r : values()) {
                if (r.accessRightsName().equals(name)) {
                    found = r;
                }
            }
            if (found == null) {
                return null;
            }
            mask |= found.flag;
        }
        return mask;
    }

    /** The Web API's spelling of a mask: the members in flag order, comma-separated, or {@code None}. */
    public static String maskNames(int mask) {
        StringBuilder out = new StringBuilder();
        java.util.Arrays.stream(values()).sorted(java.util.Comparator.comparingInt(AccessRight::flag))
                .filter(r -> (mask & r.flag) != 0)
                .forEach(r -> out.append(out.length() == 0 ? "" : ", ").append(r.accessRightsName()));
        return out.length() == 0 ? "None" : out.toString();
    }
}
