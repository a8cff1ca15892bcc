package dev.dve.auth.security;

import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what to which row: a role's privileges at Basic (the user's and its teams' rows), Local (its business
 * unit), Deep (its unit and those below) and Global depth, checked against where a row sits.
 * <p>
 * The organization: Root with the units Sales and Service below it, and Europe below Sales. The user works in Sales
 * and is a member of one team.
 */
class AccessPolicyTest {
    private static final MetadataCatalog CATALOG = new MetadataLoader().load(List.of());
    private static final UUID ROOT = UUID.fromString("00000000-0000-0000-0000-0000000000b0");
    private static final UUID SALES = UUID.randomUUID();
    private static final UUID EUROPE = UUID.randomUUID();
    private static final UUID SERVICE = UUID.randomUUID();
    private static final Map<UUID, UUID> TREE = Map.of(SALES, ROOT, EUROPE, SALES, SERVICE, ROOT);
    private static final UUID USER = UUID.randomUUID();
    private static final UUID TEAM = UUID.randomUUID();
    private static final UUID COLLEAGUE = UUID.randomUUID();

    private final AccessPolicy policy = new AccessPolicy(CATALOG);
    private final EntityMetadata account = CATALOG.require("account");

    private static SecurityPrincipal user(Map<String, PrivilegeDepth> privileges) {
        return new SecurityPrincipal(USER, SALES, Set.of(TEAM), new PrivilegeSet(privileges), TREE, 1, "0 Read-Write", null);
    }

    private static SecurityPrincipal user(String privilege, PrivilegeDepth depth) {
        return user(Map.of(privilege, depth));
    }

    /** An account owned by a user or team of the given unit. */
    private static RecordPosition accountOf(UUID owner, String ownerType, UUID businessUnit) {
        return new RecordPosition(UUID.randomUUID(), owner, ownerType, businessUnit);
    }

    private boolean mayRead(SecurityPrincipal p, RecordPosition row) {
        return mayRead(p, account, row);
    }

    private boolean mayRead(SecurityPrincipal p, EntityMetadata e, RecordPosition row) {
        try {
            policy.requireRecord(p, e, AccessRight.READ, row);
            return true;
        } catch (DataverseFault f) {
            assertEquals(ErrorCode.PRIVILEGE_DENIED, f.code());
            return false;
        }
    }

    @Test
    void privilegeNamesArePrvRightAndTheTablesSchemaName() {
        assertEquals("prvReadAccount", AccessRight.READ.privilegeName("Account"));
        assertEquals("prvAppendToContact", AccessRight.APPENDTO.privilegeName("Contact"));
        assertEquals("prvAssignTask", AccessRight.ASSIGN.privilegeName("Task"));
        assertEquals("ShareAccess", AccessRight.SHARE.accessRightsName());
        // a user row is governed by the privileges Dataverse names "User"
        assertEquals("User", CATALOG.require("systemuser").security().privilegeName());
    }

    @Test
    void basicReachesTheUsersOwnRowsAndItsTeamsButNoColleaguesInTheSameUnit() {
        SecurityPrincipal p = user("prvReadAccount", PrivilegeDepth.BASIC);
        assertTrue(mayRead(p, accountOf(USER, "systemuser", SALES)));
        assertTrue(mayRead(p, accountOf(TEAM, "team", SALES)));
        assertTrue(!mayRead(p, accountOf(COLLEAGUE, "systemuser", SALES)));
    }

    @Test
    void localReachesTheUsersBusinessUnitOnly() {
        SecurityPrincipal p = user("prvReadAccount", PrivilegeDepth.LOCAL);
        assertTrue(mayRead(p, accountOf(COLLEAGUE, "systemuser", SALES)));
        assertTrue(!mayRead(p, accountOf(COLLEAGUE, "systemuser", EUROPE)), "a unit below is Deep");
        assertTrue(!mayRead(p, accountOf(COLLEAGUE, "systemuser", ROOT)), "the unit above is not reached");
        assertTrue(!mayRead(p, accountOf(COLLEAGUE, "systemuser", SERVICE)));
    }

    @Test
    void deepReachesTheUnitAndEveryUnitBelowIt() {
        SecurityPrincipal p = user("prvReadAccount", PrivilegeDepth.DEEP);
        assertTrue(mayRead(p, accountOf(COLLEAGUE, "systemuser", SALES)));
        assertTrue(mayRead(p, accountOf(COLLEAGUE, "systemuser", EUROPE)));
        assertTrue(!mayRead(p, accountOf(COLLEAGUE, "systemuser", ROOT)));
        assertTrue(!mayRead(p, accountOf(COLLEAGUE, "systemuser", SERVICE)), "a sibling unit is not below");
        assertTrue(!mayRead(p, accountOf(COLLEAGUE, "systemuser", null)), "a row in no unit is reached by Global only");
    }

    @Test
    void globalReachesEveryRow() {
        SecurityPrincipal p = user("prvReadAccount", PrivilegeDepth.GLOBAL);
        assertTrue(mayRead(p, accountOf(COLLEAGUE, "systemuser", SERVICE)));
        assertTrue(mayRead(p, accountOf(COLLEAGUE, "systemuser", null)));
    }

    @Test
    void aRowOutOfReachIsRefusedWithTheRecordLevelMessage() {
        RecordPosition row = accountOf(COLLEAGUE, "team", SERVICE);
        DataverseFault f = assertThrows(DataverseFault.class, () -> policy.requireRecord(user("prvWriteAccount", PrivilegeDepth.LOCAL), account, AccessRight.WRITE, row));
        assertEquals(ErrorCode.PRIVILEGE_DENIED, f.code());
        assertEquals(403, f.httpStatus());
        assertEquals("0x80040220", f.code().hex());
        assertTrue(f.getMessage().startsWith("SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: " + row.recordId()), f.getMessage());
        assertTrue(f.getMessage().contains("OwnerIdType: 9 and CallingUser: " + USER), "a team owner is type 9: " + f.getMessage());
        assertTrue(f.getMessage().contains("ObjectTypeCode: 1, objectBusinessUnitId: " + SERVICE + ", AccessRights: WriteAccess"), f.getMessage());
    }

    @Test
    void aPrivilegeNotHeldAtAllIsRefusedNamingIt() {
        SecurityPrincipal p = user("prvReadAccount", PrivilegeDepth.GLOBAL);
        DataverseFault f = assertThrows(DataverseFault.class, () -> policy.requireEntity(p, account, AccessRight.DELETE));
        assertEquals(ErrorCode.PRIVILEGE_DENIED, f.code());
        assertTrue(f.getMessage().contains("is missing prvDeleteAccount privilege (Id=" + PrivilegeCatalog.id("prvDeleteAccount") + ") on OTC=1 for entity 'account'"),
                f.getMessage());
        assertTrue(f.getMessage().startsWith("Principal user (Id=" + USER + ", type=8, roleCount=1, privilegeCount=1"), f.getMessage());
        // the record check asks for the entity privilege first
        assertThrows(DataverseFault.class, () -> policy.requireRecord(p, account, AccessRight.WRITE, accountOf(USER, "systemuser", SALES)));
    }

    @Test
    void privilegeNamesAreMatchedWhateverTheirCase() {
        SecurityPrincipal p = user("PRVREADACCOUNT", PrivilegeDepth.GLOBAL);
        assertDoesNotThrow(() -> policy.requireEntity(p, account, AccessRight.READ));
    }

    @Test
    void appendToIsCheckedAgainstTheTargetRowAndAppendAgainstTheTable() {
        SecurityPrincipal p = user(Map.of("prvAppendContact", PrivilegeDepth.BASIC, "prvAppendToAccount", PrivilegeDepth.BASIC));
        EntityMetadata contact = CATALOG.require("contact");
        assertDoesNotThrow(() -> policy.requireEntity(p, contact, AccessRight.APPEND));
        assertDoesNotThrow(() -> policy.requireRecord(p, account, AccessRight.APPENDTO, accountOf(USER, "systemuser", SALES)));
        DataverseFault f = assertThrows(DataverseFault.class,
                () -> policy.requireRecord(p, account, AccessRight.APPENDTO, accountOf(COLLEAGUE, "systemuser", SALES)));
        assertTrue(f.getMessage().contains("AccessRights: AppendToAccess"), f.getMessage());
        assertThrows(DataverseFault.class, () -> policy.requireEntity(p, account, AccessRight.APPEND), "Append on account is another privilege");
    }

    @Test
    void assignAndShareAreOwnPrivileges() {
        SecurityPrincipal p = user(Map.of("prvAssignAccount", PrivilegeDepth.LOCAL, "prvWriteAccount", PrivilegeDepth.GLOBAL));
        assertDoesNotThrow(() -> policy.requireRecord(p, account, AccessRight.ASSIGN, accountOf(COLLEAGUE, "systemuser", SALES)));
        DataverseFault f = assertThrows(DataverseFault.class,
                () -> policy.requireRecord(p, account, AccessRight.ASSIGN, accountOf(COLLEAGUE, "systemuser", SERVICE)));
        assertTrue(f.getMessage().contains("AccessRights: AssignAccess"), f.getMessage());
        DataverseFault share = assertThrows(DataverseFault.class, () -> policy.requireEntity(p, account, AccessRight.SHARE));
        assertTrue(share.getMessage().contains("prvShareAccount"), share.getMessage());
    }

    @Test
    void specialPrivilegesAreHeldOrNot() {
        EntityMetadata workflow = CATALOG.require("workflow");
        SecurityPrincipal maker = user(PrivilegeCatalog.ACTIVATE_REALTIME, PrivilegeDepth.GLOBAL);
        assertDoesNotThrow(() -> policy.requireSpecial(maker, PrivilegeCatalog.ACTIVATE_REALTIME, workflow));
        DataverseFault f = assertThrows(DataverseFault.class, () -> policy.requireSpecial(maker, PrivilegeCatalog.EXECUTE_WORKFLOW, workflow));
        assertEquals(ErrorCode.PRIVILEGE_DENIED, f.code());
        assertTrue(f.getMessage().contains("is missing prvWorkflowExecution privilege"), f.getMessage());
        assertTrue(f.getMessage().contains("for entity 'workflow'"), f.getMessage());
    }

    @Test
    void organizationOwnedRowsNeedTheTablePrivilegeOnly() {
        EntityMetadata view = CATALOG.require("savedquery");
        SecurityPrincipal p = user("prvRead" + view.security().privilegeName(), PrivilegeDepth.BASIC);
        assertDoesNotThrow(() -> policy.requireRecord(p, view, AccessRight.READ, new RecordPosition(UUID.randomUUID(), null, null, null)));
        assertNull(policy.readFilter(p, view));
    }

    @Test
    void anIntersectTableIsGovernedByItsParentsPrivileges() {
        EntityMetadata membership = CATALOG.require("teammembership");
        SecurityPrincipal readsTeams = user("prvReadTeam", PrivilegeDepth.BASIC);
        assertDoesNotThrow(() -> policy.requireRecord(readsTeams, membership, AccessRight.READ, new RecordPosition(UUID.randomUUID(), null, null, null)));
        assertNull(policy.readFilter(readsTeams, membership));
        DataverseFault f = assertThrows(DataverseFault.class, () -> policy.requireEntity(user("prvReadAccount", PrivilegeDepth.GLOBAL), membership, AccessRight.READ));
        assertTrue(f.getMessage().contains("prvReadTeam"), f.getMessage());
    }

    @Test
    void aBusinessUnitRowSitsInItselfAndAUserRowInItsUnit() {
        EntityMetadata unit = CATALOG.require("businessunit");
        Entity europe = new Entity("businessunit", EUROPE).set("parentbusinessunitid", new EntityReference("businessunit", SALES));
        RecordPosition where = policy.position(unit, europe);
        assertEquals(EUROPE, where.businessUnitId());
        assertTrue(mayRead(user("prvReadBusinessUnit", PrivilegeDepth.DEEP), unit, where));
        assertTrue(!mayRead(user("prvReadBusinessUnit", PrivilegeDepth.LOCAL), unit, where));

        EntityMetadata users = CATALOG.require("systemuser");
        Entity colleague = new Entity("systemuser", COLLEAGUE).set("businessunitid", new EntityReference("businessunit", SALES));
        assertEquals(SALES, policy.position(users, colleague).businessUnitId());
        assertTrue(mayRead(user("prvReadUser", PrivilegeDepth.LOCAL), users, policy.position(users, colleague)));
    }

    @Test
    void anAccountsPositionIsItsOwnerAndOwningUnit() {
        UUID id = UUID.randomUUID();
        Entity row = new Entity("account", id).set("ownerid", new EntityReference("team", TEAM)).set("owningbusinessunit", new EntityReference("businessunit", SALES));
        assertEquals(new RecordPosition(id, TEAM, "team", SALES), policy.position(account, row));
        assertEquals(List.of("ownerid", "owningbusinessunit"), policy.positionAttributes(account));
    }

    @Test
    void collectionReadsAreNarrowedToTheRowsTheDepthReaches() {
        Condition basic = (Condition) policy.readFilter(user("prvReadAccount", PrivilegeDepth.BASIC), account);
        assertEquals("ownerid", basic.attribute());
        assertEquals(ConditionOperator.IN, basic.operator());
        assertEquals(Set.of(USER, TEAM), Set.copyOf(basic.values()));

        Condition local = (Condition) policy.readFilter(user("prvReadAccount", PrivilegeDepth.LOCAL), account);
        assertEquals(Condition.of("owningbusinessunit", ConditionOperator.EQUAL, SALES), local);

        Condition deep = (Condition) policy.readFilter(user("prvReadAccount", PrivilegeDepth.DEEP), account);
        assertEquals("owningbusinessunit", deep.attribute());
        assertEquals(Set.of(SALES, EUROPE), Set.copyOf(deep.values()));

        assertNull(policy.readFilter(user("prvReadAccount", PrivilegeDepth.GLOBAL), account));
        assertThrows(DataverseFault.class, () -> policy.readFilter(user("prvWriteAccount", PrivilegeDepth.GLOBAL), account));
    }

    @Test
    void privilegesHeldOnSeveralRolesCountAtTheDeepest() {
        Map<String, PrivilegeDepth> m = new HashMap<>();
        m.put("prvReadAccount", PrivilegeDepth.BASIC);
        m.put("PRVREADACCOUNT", PrivilegeDepth.DEEP);
        PrivilegeSet s = new PrivilegeSet(m);
        assertEquals(PrivilegeDepth.DEEP, s.depth("prvreadaccount"));
        assertEquals(1, s.size());
    }

    @Test
    void aProcessLogIsReadThroughTheSystemJobItBelongsTo() {
        EntityMetadata log = CATALOG.require("workflowlog");
        assertEquals("None", log.ownership());
        // no privilege of its own: a role lists none for it
        assertTrue(PrivilegeCatalog.definitions(CATALOG).stream().noneMatch(d -> d.name().endsWith("WorkflowLog")));
        // Basic read of system jobs: the logs of the user's and its teams' jobs
        dev.dve.query.Criterion basic = policy.readFilter(user("prvReadAsyncOperation", PrivilegeDepth.BASIC), log);
        dev.dve.query.FilterExpression any = (dev.dve.query.FilterExpression) basic;
        assertEquals(1, any.children().size(), "process sessions are not readable: " + basic);
        dev.dve.query.SubqueryCondition jobs = (dev.dve.query.SubqueryCondition) any.children().get(0);
        assertEquals("asyncoperationid", jobs.attribute());
        assertEquals("asyncoperation", jobs.entity());
        Condition owners = (Condition) jobs.criteria();
        assertEquals("ownerid", owners.attribute());
        assertEquals(Set.of(USER, TEAM), Set.copyOf(owners.values()));
        // Global read of jobs and of sessions: every log of a job or a session
        dev.dve.query.FilterExpression all = (dev.dve.query.FilterExpression) policy.readFilter(
                user(Map.of("prvReadAsyncOperation", PrivilegeDepth.GLOBAL, "prvReadProcessSession", PrivilegeDepth.GLOBAL)), log);
        assertEquals(2, all.children().size());
        // without read of system jobs: none
        assertThrows(DataverseFault.class, () -> policy.readFilter(user("prvReadProcessSession", PrivilegeDepth.GLOBAL), log));
    }

    // ---- shares (GrantAccess): a principalobjectaccess row gives rights on one record ----

    /** A policy whose shares give {@code mask} on {@code shared} and nothing elsewhere; counts the look-ups. */
    private static final class Shares implements RecordShares {
        final UUID shared;
        final int mask;
        int lookups;

        Shares(UUID shared, int mask) {
            this.shared = shared;
            this.mask = mask;
        }

        @Override
        public int rights(SecurityPrincipal p, EntityMetadata e, UUID recordId) {
            lookups++;
            return recordId.equals(shared) ? mask : 0;
        }
    }

    private boolean may(AccessPolicy policy, SecurityPrincipal p, AccessRight right, RecordPosition row) {
        try {
            policy.requireRecord(p, account, right, row);
            return true;
        } catch (DataverseFault f) {
            assertEquals(ErrorCode.PRIVILEGE_DENIED, f.code());
            return false;
        }
    }

    @Test
    void aShareReachesAColleaguesRowForTheSharedRightsOnly() {
        RecordPosition theirs = accountOf(COLLEAGUE, "systemuser", SALES);
        RecordPosition other = accountOf(COLLEAGUE, "systemuser", SALES);
        AccessPolicy shared = new AccessPolicy(CATALOG);
        Shares shares = new Shares(theirs.recordId(), AccessRight.READ.flag() | AccessRight.WRITE.flag());
        shared.useShares(shares);
        SecurityPrincipal p = user(Map.of("prvReadAccount", PrivilegeDepth.BASIC, "prvWriteAccount", PrivilegeDepth.BASIC,
                "prvDeleteAccount", PrivilegeDepth.BASIC));
        assertTrue(may(shared, p, AccessRight.READ, theirs));
        assertTrue(may(shared, p, AccessRight.WRITE, theirs));
        assertFalse(may(shared, p, AccessRight.DELETE, theirs), "Delete was not shared");
        assertFalse(may(shared, p, AccessRight.READ, other), "another row of the colleague");
        assertFalse(may(policy, p, AccessRight.READ, theirs), "a policy without shares ignores them");
    }

    @Test
    void aShareNeedsThePrivilegeAtSomeDepthAndNeverCreates() {
        RecordPosition theirs = accountOf(COLLEAGUE, "systemuser", SALES);
        AccessPolicy shared = new AccessPolicy(CATALOG);
        Shares shares = new Shares(theirs.recordId(), AccessRight.ALL);
        shared.useShares(shares);
        DataverseFault f = assertThrows(DataverseFault.class, () -> shared.requireRecord(user("prvWriteAccount", PrivilegeDepth.BASIC),
                account, AccessRight.READ, theirs));
        assertTrue(f.getMessage().contains("is missing prvReadAccount privilege"), f.getMessage());
        shares.lookups = 0;
        assertFalse(may(shared, user("prvCreateAccount", PrivilegeDepth.BASIC), AccessRight.CREATE, theirs), "create is by depth only");
        assertEquals(0, shares.lookups, "no share is looked up for a create");
        assertTrue(may(shared, user("prvReadAccount", PrivilegeDepth.BASIC), AccessRight.READ, accountOf(USER, "systemuser", SALES)));
        assertEquals(0, shares.lookups, "no share is looked up when the depth reaches");
    }

    @Test
    void aCollectionReadAlsoReturnsTheRowsSharedWithTheUserOrItsTeams() {
        AccessPolicy shared = new AccessPolicy(CATALOG);
        shared.useShares(new Shares(UUID.randomUUID(), 0));
        dev.dve.query.FilterExpression basic = (dev.dve.query.FilterExpression) shared.readFilter(user("prvReadAccount", PrivilegeDepth.BASIC), account);
        assertEquals(dev.dve.query.LogicalOperator.OR, basic.operator());
        assertEquals(new Condition("ownerid", ConditionOperator.IN, List.of(USER, TEAM)), basic.children().get(0));
        dev.dve.query.SubqueryCondition sub = (dev.dve.query.SubqueryCondition) basic.children().get(1);
        assertEquals("accountid", sub.attribute());
        assertEquals("principalobjectaccess", sub.entity());
        assertEquals("objectid", sub.key());
        dev.dve.query.FilterExpression which = (dev.dve.query.FilterExpression) sub.criteria();
        assertEquals(Condition.of("objecttypecode", ConditionOperator.EQUAL, "account"), which.children().get(0));
        assertEquals(new Condition("principalid", ConditionOperator.IN, List.of(USER, TEAM)), which.children().get(1));
        assertEquals(new dev.dve.query.FilterExpression(dev.dve.query.LogicalOperator.OR, List.of(
                Condition.of("accessrightsmask", ConditionOperator.MASK, 1),
                Condition.of("inheritedaccessrightsmask", ConditionOperator.MASK, 1))), which.children().get(2));
        dev.dve.query.FilterExpression local = (dev.dve.query.FilterExpression) shared.readFilter(user("prvReadAccount", PrivilegeDepth.LOCAL), account);
        assertEquals(Condition.of("owningbusinessunit", ConditionOperator.EQUAL, SALES), local.children().get(0));
        assertNull(shared.readFilter(user("prvReadAccount", PrivilegeDepth.GLOBAL), account), "Global reads everything anyway");
        // rows that cannot be shared keep their plain filter
        assertTrue(shared.readFilter(user("prvReadBusinessUnit", PrivilegeDepth.LOCAL), CATALOG.require("businessunit")) instanceof Condition);
    }

    @Test
    void theRightsOfAPrincipalOnARowComeFromDepthAndShares() {
        RecordPosition theirs = accountOf(COLLEAGUE, "systemuser", SALES);
        AccessPolicy shared = new AccessPolicy(CATALOG);
        shared.useShares(new Shares(theirs.recordId(), AccessRight.WRITE.flag() | AccessRight.DELETE.flag()));
        SecurityPrincipal p = user(Map.of("prvReadAccount", PrivilegeDepth.LOCAL, "prvWriteAccount", PrivilegeDepth.BASIC,
                "prvAppendToAccount", PrivilegeDepth.BASIC));
        assertEquals("ReadAccess, WriteAccess", AccessRight.maskNames(shared.rights(p, account, theirs)),
                "Read by depth, Write by the share; Delete shared but its privilege not held, AppendTo held but not reaching");
        assertEquals("ReadAccess, WriteAccess, AppendToAccess", AccessRight.maskNames(shared.rights(p, account, accountOf(USER, "systemuser", SALES))),
                "the user's own row: every privilege held reaches it");
        assertEquals("None", AccessRight.maskNames(0));
    }

    @Test
    void accessMasksAreReadAndWrittenAsTheWebApiSpellsThem() {
        assertEquals(3, AccessRight.parseMask("ReadAccess, WriteAccess"));
        assertEquals(3, AccessRight.parseMask("WriteAccess,ReadAccess"));
        assertEquals(0, AccessRight.parseMask("None"));
        assertEquals(262144, AccessRight.parseMask("262144"));
        assertNull(AccessRight.parseMask("ReadAccess, Bogus"));
        assertNull(AccessRight.parseMask("8"), "8 is no right");
        assertNull(AccessRight.parseMask(""));
        assertEquals("ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, ShareAccess, AssignAccess",
                AccessRight.maskNames(AccessRight.ALL));
    }
}
