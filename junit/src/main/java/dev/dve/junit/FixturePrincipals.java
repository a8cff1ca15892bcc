package dev.dve.junit;

/** The principals the default fixtures sign in as (README, "Default principals"). */
public final class FixturePrincipals {
    /** The application user (System Administrator), signing in by client credentials. */
    public static final String APPLICATION_CLIENT_ID = "00000000-0000-0000-0000-0000000000a1";
    public static final String APPLICATION_CLIENT_SECRET = "emulator-admin-secret";
    /** System Administrator. */
    public static final String ADMIN = "admin@emulator.local";
    /** Process Maker. */
    public static final String MAKER = "maker@emulator.local";
    /** Process Runner. */
    public static final String RUNNER = "runner@emulator.local";
    /** Basic User, in the child business unit Sales. */
    public static final String BASIC = "basic@emulator.local";
    /** The password of every fixture user. */
    public static final String PASSWORD = "Passw0rd!";
    /** The emulator's tenant id (alias {@code emulator}). */
    public static final String TENANT_ID = "00000000-0000-0000-0000-000000000001";

    private FixturePrincipals() {
    }
}
