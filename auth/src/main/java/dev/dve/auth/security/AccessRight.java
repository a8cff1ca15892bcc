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
}
