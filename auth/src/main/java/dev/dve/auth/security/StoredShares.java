package dev.dve.auth.security;

import dev.dve.metadata.EntityMetadata;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.store.Database;
import dev.dve.store.RecordStore;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads a record's shares from the {@code principalobjectaccess} table through the record store, in the transaction
 * open on the thread (the operation being checked), so every node sees the same shares.
 */
public final class StoredShares implements RecordShares {
    private final Database database;
    private final RecordStore store;

    public StoredShares(Database database, RecordStore store) {
        this.database = database;
        this.store = store;
    }

    @Override
    public int rights(SecurityPrincipal p, EntityMetadata e, UUID recordId) {
        List<Object> principals = new ArrayList<>();
        principals.add(p.userId());
        principals.addAll(p.teams());
        QueryExpression q = new QueryExpression(ENTITY).columns(List.of("accessrightsmask", "inheritedaccessrightsmask"))
                .where(Condition.of("objectid", ConditionOperator.EQUAL, recordId))
                .where(Condition.of("objecttypecode", ConditionOperator.EQUAL, e.logicalName()))
                .where(new Condition("principalid", ConditionOperator.IN, principals));
        return database.inTransaction(c -> {
            int mask = 0;
            for (Entity share : store.retrieveMultiple(c, q)) {
                mask |= intValue(share.get("accessrightsmask")) | intValue(share.get("inheritedaccessrightsmask"));
            }
            return mask;
        });
    }

    private static int intValue(Object v) {
        return v instanceof Number n ? n.intValue() : 0;
    }
}
