package dev.dve.engine.security;

import dev.dve.auth.WellKnownPrincipals;
import dev.dve.auth.security.PrivilegeCatalog;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.record.Entity;

/** Creates the privilege rows the catalog defines and the organization lacks, as Dataverse does with each table. */
public final class PrivilegeProvisioner {
    private PrivilegeProvisioner() {
    }

    public static int provision(OrganizationService service, MetadataCatalog catalog) {
        int created = 0;
        for (PrivilegeCatalog.PrivilegeDefinition d : PrivilegeCatalog.definitions(catalog)) {
            if (service.find(WellKnownPrincipals.SYSTEM, "privilege", d.id()).isPresent()) {
                continue;
            }
            service.create(WellKnownPrincipals.SYSTEM, new Entity("privilege", d.id())
                    .set("name", d.name()).set("accessright", d.accessRight())
                    .set("canbebasic", d.canBeBasic()).set("canbelocal", d.canBeLocal())
                    .set("canbedeep", d.canBeDeep()).set("canbeglobal", d.canBeGlobal()));
            created++;
        }
        return created;
    }
}
