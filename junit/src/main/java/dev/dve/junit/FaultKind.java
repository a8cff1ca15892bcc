package dev.dve.junit;

/** The faults the admin API can inject into background runs, by the name its JSON uses. */
public enum FaultKind {
    /** An SDK call fails with "server busy"; the job retries. */
    SERVER_BUSY("serverBusy"),
    /** An SDK call fails with "organization disabled"; the job retries. */
    ORGANIZATION_DISABLED("organizationDisabled"),
    /** An SDK call fails with a SQL error; the job retries. */
    SQL_ERROR("sqlError"),
    /** The workflow system is paused: workflow jobs are suspended until resumed. */
    WORKFLOW_SYSTEM_PAUSED("workflowSystemPaused");

    private final String wireName;

    FaultKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the admin API's JSON. */
    public String wireName() {
        return wireName;
    }

    public static FaultKind fromWireName(String name) {
        for (FaultKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown fault: " + name);
    }
}
