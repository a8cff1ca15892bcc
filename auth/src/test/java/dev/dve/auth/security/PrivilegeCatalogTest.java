package dev.dve.auth.security;

import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The privileges each table gets, the depths a role grants them at, and what an impersonating call holds. */
class PrivilegeCatalogTest {
    private static final MetadataCatalog CATALOG = new MetadataLoader().load(List.of());
    private static final Map<String, PrivilegeCatalog.PrivilegeDefinition> DEFINITIONS = PrivilegeCatalog.definitions(CATALOG).stream()
            .collect(Collectors.toMap(PrivilegeCatalog.PrivilegeDefinition::name, d -> d));

    private static Set<String> of(String schemaName) {
        return DEFINITIONS.keySet().stream().filter(n -> n.endsWith(schemaName) && n.length() > schemaName.length()
                && Set.of("Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share").contains(n.substring(3, n.length() - schemaName.length())))
                .collect(Collectors.toSet());
    }

    @Test
    void aUserOwnedTableHasEightPrivilegesAtEveryDepth() {
        assertEquals(Set.of("prvCreateAccount", "prvReadAccount", "prvWriteAccount", "prvDeleteAccount", "prvAppendAccount",
                "prvAppendToAccount", "prvAssignAccount", "prvShareAccount"), of("Account"));
        PrivilegeCatalog.PrivilegeDefinition read = DEFINITIONS.get("prvReadAccount");
        assertTrue(read.canBeBasic() && read.canBeLocal() && read.canBeDeep() && read.canBeGlobal());
        assertEquals(AccessRight.READ.flag(), read.accessRight());
    }

    @Test
    void aBusinessOwnedTableCannotBeSharedNorGrantedAtBasic() {
        assertFalse(of("Team").contains("prvShareTeam"));
        assertTrue(of("Team").contains("prvAssignTeam"));
        assertFalse(DEFINITIONS.get("prvReadTeam").canBeBasic());
        assertTrue(DEFINITIONS.get("prvReadTeam").canBeLocal());
        // systemuser's privileges are named after "User"
        assertTrue(DEFINITIONS.containsKey("prvReadUser"));
        assertFalse(DEFINITIONS.containsKey("prvReadSystemUser"));
    }

    @Test
    void anOrganizationOwnedTableHasSixPrivilegesAtGlobalOnly() {
        Set<String> views = of("SavedQuery");
        assertEquals(6, views.size(), views.toString());
        assertFalse(views.contains("prvAssignSavedQuery"));
        PrivilegeCatalog.PrivilegeDefinition read = DEFINITIONS.get("prvReadSavedQuery");
        assertFalse(read.canBeBasic() || read.canBeLocal() || read.canBeDeep());
        assertTrue(read.canBeGlobal());
    }

    @Test
    void intersectTablesHaveNoPrivilegesOfTheirOwnAndTheSpecialOnesAreGlobal() {
        assertTrue(DEFINITIONS.keySet().stream().noneMatch(n -> n.toLowerCase().contains("teammembership")));
        for (String special : PrivilegeCatalog.SPECIAL) {
            PrivilegeCatalog.PrivilegeDefinition d = DEFINITIONS.get(special);
            assertTrue(d.canBeGlobal() && !d.canBeBasic(), special);
        }
    }

    @Test
    void idsFollowFromTheNameWhateverItsCase() {
        assertEquals(PrivilegeCatalog.id("prvReadAccount"), PrivilegeCatalog.id("PRVREADACCOUNT"));
        assertEquals(PrivilegeCatalog.id("prvReadAccount"), DEFINITIONS.get("prvReadAccount").id());
        assertFalse(PrivilegeCatalog.id("prvReadAccount").equals(PrivilegeCatalog.id("prvWriteAccount")));
    }

    @Test
    void depthsHaveTheRolePrivilegeMasksAndTheDesignersNames() {
        assertEquals(List.of(1, 2, 4, 8), List.of(PrivilegeDepth.BASIC.mask(), PrivilegeDepth.LOCAL.mask(), PrivilegeDepth.DEEP.mask(), PrivilegeDepth.GLOBAL.mask()));
        assertEquals(PrivilegeDepth.DEEP, PrivilegeDepth.fromMask(4));
        assertThrows(IllegalArgumentException.class, () -> PrivilegeDepth.fromMask(3));
        assertEquals(PrivilegeDepth.BASIC, PrivilegeDepth.parse("User"));
        assertEquals(PrivilegeDepth.LOCAL, PrivilegeDepth.parse("Business Unit"));
        assertEquals(PrivilegeDepth.DEEP, PrivilegeDepth.parse("Parent: Child Business Units"));
        assertEquals(PrivilegeDepth.GLOBAL, PrivilegeDepth.parse(" organization "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrivilegeDepth.parse("Team"));
        assertTrue(e.getMessage().contains("'Team'"), e.getMessage());
    }

    @Test
    void anImpersonatingCallHoldsWhatBothHoldAtTheShallowerDepth() {
        PrivilegeSet caller = new PrivilegeSet(Map.of("prvReadAccount", PrivilegeDepth.GLOBAL, "prvWriteAccount", PrivilegeDepth.BASIC,
                PrivilegeCatalog.ACT_ON_BEHALF, PrivilegeDepth.GLOBAL));
        PrivilegeSet impersonated = new PrivilegeSet(Map.of("prvReadAccount", PrivilegeDepth.LOCAL, "prvWriteAccount", PrivilegeDepth.DEEP,
                "prvDeleteAccount", PrivilegeDepth.GLOBAL));
        PrivilegeSet both = caller.intersect(impersonated);
        assertEquals(PrivilegeDepth.LOCAL, both.depth("prvReadAccount"));
        assertEquals(PrivilegeDepth.BASIC, both.depth("prvWriteAccount"));
        assertNull(both.depth("prvDeleteAccount"), "the caller does not hold it");
        assertFalse(both.has(PrivilegeCatalog.ACT_ON_BEHALF), "the impersonated user does not hold it");
        assertEquals(2, both.size());
    }
}
