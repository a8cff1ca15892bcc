package dev.dve.auth;

import java.util.UUID;

/** The fixed ids of the default organization's principals (the contract in the README lists them). */
public final class WellKnownPrincipals {
    public static final UUID ORGANIZATION = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    public static final UUID ROOT_BUSINESS_UNIT = UUID.fromString("00000000-0000-0000-0000-0000000000b0");
    public static final UUID CHILD_BUSINESS_UNIT = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    /** The SYSTEM user the platform itself acts as (fixture loading, housekeeping). */
    public static final UUID SYSTEM_USER = UUID.fromString("00000000-0000-0000-0000-000000000100");
    public static final UUID APPLICATION_USER = UUID.fromString("00000000-0000-0000-0000-000000000101");
    public static final UUID ADMIN_USER = UUID.fromString("00000000-0000-0000-0000-000000000102");
    public static final UUID MAKER_USER = UUID.fromString("00000000-0000-0000-0000-000000000103");
    public static final UUID RUNNER_USER = UUID.fromString("00000000-0000-0000-0000-000000000104");
    public static final UUID BASIC_USER = UUID.fromString("00000000-0000-0000-0000-000000000105");
    public static final UUID APPLICATION_CLIENT_ID = UUID.fromString("00000000-0000-0000-0000-0000000000a1");

    public static final CallerContext SYSTEM = new CallerContext(SYSTEM_USER, ROOT_BUSINESS_UNIT);

    private WellKnownPrincipals() {
    }
}
