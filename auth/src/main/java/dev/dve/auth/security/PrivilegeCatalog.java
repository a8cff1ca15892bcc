package dev.dve.auth.security;

import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The privileges the platform defines: eight (or six) per entity, derived from the catalog as Dataverse creates
 * them with each table, plus the special ones. Ids are derived from the names so every node and every reset
 * agrees on them.
 */
public final class PrivilegeCatalog {
    public static final String ACT_ON_BEHALF = "prvActOnBehalfOfAnotherUser";
    public static final String ACTIVATE_REALTIME = "prvActivateSynchronousWorkflow";
    public static final String EXECUTE_WORKFLOW = "prvWorkflowExecution";
    public static final String BYPASS_PLUGINS = "prvBypassCustomPlugins";
    /** Submitting a bulk delete job (the BulkDelete message); System Administrator only in the default roles. */
    public static final String BULK_DELETE = "prvBulkDelete";
    public static final List<String> SPECIAL = List.of(ACT_ON_BEHALF, ACTIVATE_REALTIME, EXECUTE_WORKFLOW, BYPASS_PLUGINS, BULK_DELETE);

    /** One privilege row. */
    public record PrivilegeDefinition(UUID id, String name, int accessRight, boolean canBeBasic, boolean canBeLocal,
                                      boolean canBeDeep, boolean canBeGlobal) {
    }

    private PrivilegeCatalog() {
    }

    public static UUID id(String privilegeName) {
        return UUID.nameUUIDFromBytes(("dve-privilege:" + privilegeName.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether rows of the entity are governed by privileges of their own. */
    public static boolean hasOwnPrivileges(EntityMetadata e) {
        return e.security().privilegeEntity() == null && (e.isUserOwned() || e.isBusinessOwned() || e.isOrganizationOwned());
    }

    public static List<PrivilegeDefinition> definitions(MetadataCatalog catalog) {
        List<PrivilegeDefinition> out = new ArrayList<>();
        for (EntityMetadata e : catalog.entities()) {
            if (!hasOwnPrivileges(e)) {
                continue;
            }
            for (AccessRight r : AccessRight.values()) {
                if (!e.isUserOwned() && (r == AccessRight.SHARE || e.isOrganizationOwned() && r == AccessRight.ASSIGN)) {
                    continue;
                }
                String name = r.privilegeName(e.security().privilegeName());
                boolean user = e.isUserOwned();
                boolean business = e.isBusinessOwned();
                // a user-keyed table (usersettings): Basic depth reaches the user's own row
                boolean basic = user || e.security().userKeyed();
                out.add(new PrivilegeDefinition(id(name), name, r.flag(), basic, user || business, user || business, true));
            }
        }
        for (String s : SPECIAL) {
            out.add(new PrivilegeDefinition(id(s), s, 0, false, false, false, true));
        }
        return out;
    }
}
