package dev.dve.auth;

import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.FilterExpression;
import dev.dve.query.LogicalOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.store.Database;
import dev.dve.store.RecordStore;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Finds the system user a sign-in name, an Entra object id or an application id belongs to. */
public final class PrincipalDirectory {
    private static final List<String> COLUMNS = List.of("fullname", "domainname", "internalemailaddress", "businessunitid",
            "isdisabled", "azureactivedirectoryobjectid", "applicationid", "accessmode");
    private final Database database;
    private final RecordStore store;

    public PrincipalDirectory(Database database, RecordStore store) {
        this.database = database;
        this.store = store;
    }

    public Optional<Entity> byUserName(String userName) {
        if (userName == null || userName.isBlank()) {
            return Optional.empty();
        }
        return first(new FilterExpression(LogicalOperator.OR, List.of(
                Condition.of("domainname", ConditionOperator.EQUAL, userName),
                Condition.of("internalemailaddress", ConditionOperator.EQUAL, userName))));
    }

    public Optional<Entity> byApplicationId(UUID applicationId) {
        return first(Condition.of("applicationid", ConditionOperator.EQUAL, applicationId));
    }

    public Optional<Entity> byObjectId(UUID objectId) {
        return first(Condition.of("azureactivedirectoryobjectid", ConditionOperator.EQUAL, objectId));
    }

    public Optional<Entity> byId(UUID systemUserId) {
        return first(Condition.of("systemuserid", ConditionOperator.EQUAL, systemUserId));
    }

    private Optional<Entity> first(dev.dve.query.Criterion c) {
        QueryExpression q = new QueryExpression("systemuser").columns(COLUMNS).where(c).top(1);
        return database.inTransaction(conn -> store.retrieveMultiple(conn, q)).stream().findFirst();
    }
}
