package dev.dve.engine.security;

import dev.dve.auth.CallerContext;
import dev.dve.engine.organization.EventPipeline;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.record.Entity;

/**
 * Every user has a settings row, as in Dataverse: creating a {@code systemuser} creates its {@code usersettings} row
 * (keyed by the user's id, in the user's business unit) in the same transaction. The row's language is left unset,
 * which means the organization's language until the user chooses one.
 */
public final class UserSettingsProvisioner implements EventPipeline {
    private static final String SETTINGS = "usersettings";
    private final OrganizationService service;
    private final boolean enabled;

    public UserSettingsProvisioner(OrganizationService service, MetadataCatalog catalog) {
        this.service = service;
        this.enabled = catalog.entity(SETTINGS).isPresent();
    }

    @Override
    public void preOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
    }

    @Override
    public void postOperation(Message message, CallerContext caller, EntityMetadata entity, Entity existing, Entity target) {
        if (enabled && message == Message.CREATE && entity.logicalName().equals("systemuser")) {
            service.createTrusted(caller, new Entity(SETTINGS, target.id()));
        }
    }
}
