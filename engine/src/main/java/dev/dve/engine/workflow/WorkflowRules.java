package dev.dve.engine.workflow;

import dev.dve.auth.security.AccessPolicy;
import dev.dve.auth.security.PrivilegeCatalog;
import dev.dve.auth.security.SecurityPrincipal;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.metadata.EntityMetadata;
import dev.dve.record.Entity;

/**
 * The platform's rules on workflow rows, checked before each update: activating a real-time workflow needs
 * Activate Real-time Processes ({@code prvActivateSynchronousWorkflow}); a background one only write access.
 */
public final class WorkflowRules implements OrganizationService.UpdateRule {
    public static final int STATE_ACTIVATED = 1;
    public static final int MODE_REALTIME = 1;
    private final AccessPolicy access;

    public WorkflowRules(AccessPolicy access) {
        this.access = access;
    }

    @Override
    public void beforeUpdate(SecurityPrincipal principal, EntityMetadata entity, Entity existing, Entity changes) {
        if (!entity.logicalName().equals("workflow") || principal == null) {
            return;
        }
        boolean activating = Integer.valueOf(STATE_ACTIVATED).equals(changes.get("statecode"))
                || Integer.valueOf(2).equals(changes.get("statuscode")) && !changes.contains("statecode");
        boolean wasActive = Integer.valueOf(STATE_ACTIVATED).equals(existing.get("statecode"));
        Object mode = changes.contains("mode") ? changes.get("mode") : existing.get("mode");
        if (activating && !wasActive && Integer.valueOf(MODE_REALTIME).equals(mode)) {
            access.requireSpecial(principal, PrivilegeCatalog.ACTIVATE_REALTIME, entity);
        }
    }
}
