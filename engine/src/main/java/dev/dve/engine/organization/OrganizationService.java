package dev.dve.engine.organization;

import dev.dve.auth.CallerContext;
import dev.dve.auth.WellKnownPrincipals;
import dev.dve.auth.security.AccessPolicy;
import dev.dve.auth.security.AccessRight;
import dev.dve.auth.security.SecurityModel;
import dev.dve.auth.security.SecurityPrincipal;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.Criterion;
import dev.dve.engine.clock.EmulatorClock;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.payload.Payload;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.store.Database;
import dev.dve.store.RecordStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The organization service: Create, Retrieve, RetrieveMultiple, Update, Delete and Upsert. Every way in (Web API,
 * $batch, fixtures, workflow steps, the console) calls it, so validation, the platform-maintained attributes and
 * transactions are the same whoever asks. Each call runs in one transaction, or joins the caller's.
 */
public final class OrganizationService {
    private static final int MAX_COUNT = 5000;
    private final MetadataCatalog catalog;
    private final Database database;
    private final RecordStore store;
    private final EmulatorClock clock;
    private final AccessPolicy access;
    private final PlatformAttributes platform;
    private final dev.dve.auth.security.QuerySecurity querySecurity;
    private final SecurityModel security;
    private volatile UUID organizationId;
    private final List<UpdateRule> updateRules = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile EventPipeline pipeline = EventPipeline.NONE;
    /** Calls nested deeper than this are an infinite loop (Dataverse's WorkflowSettings.MaxDepth). */
    private static final int MAX_DEPTH = 8;

    public void setPipeline(EventPipeline p) {
        this.pipeline = p;
    }

    private static void checkDepth(CallerContext caller) {
        if (caller.depth() > MAX_DEPTH) {
            throw new DataverseFault(ErrorCode.INFINITE_LOOP, "This workflow job was canceled because the workflow that started it included an infinite loop. "
                    + "Correct the workflow logic and try again. For information about workflow logic, see Help.");
        }
    }

    /**
     * A platform rule on one kind of row (workflow activation, system-job control …), checked before a client's create,
     * update and delete; a trusted platform write (a SYSTEM caller) has {@code principal} null.
     */
    public interface UpdateRule {
        void beforeUpdate(SecurityPrincipal principal, EntityMetadata entity, Entity existing, Entity changes);

        default void beforeCreate(SecurityPrincipal principal, EntityMetadata entity, Entity row) {
        }

        default void beforeDelete(SecurityPrincipal principal, EntityMetadata entity, Entity existing) {
        }
    }

    public void addUpdateRule(UpdateRule rule) {
        updateRules.add(rule);
    }

    public OrganizationService(MetadataCatalog catalog, Database database, RecordStore store, EmulatorClock clock, AccessPolicy access) {
        this(catalog, database, store, clock, access, new SecurityModel(store));
    }

    /** With the security model the runtime shares (its principals kept while the shared security stamp holds). */
    public OrganizationService(MetadataCatalog catalog, Database database, RecordStore store, EmulatorClock clock, AccessPolicy access,
                               SecurityModel security) {
        this.catalog = catalog;
        this.database = database;
        this.store = store;
        this.clock = clock;
        this.access = access;
        this.platform = new PlatformAttributes(clock::now);
        this.querySecurity = new dev.dve.auth.security.QuerySecurity(access, catalog);
        this.security = security;
    }

    /** A write of a table principals are computed from changes the security stamp, in the write's transaction. */
    private void written(Connection c, EntityMetadata e) throws SQLException {
        if (security.governs(e.logicalName())) {
            security.changed(c);
        }
    }

    /**
     * The caller's security position, or null for the platform itself (which is never checked). An impersonating
     * call holds what both users hold.
     */
    private SecurityPrincipal principal(Connection c, CallerContext caller) throws SQLException {
        if (WellKnownPrincipals.SYSTEM_USER.equals(caller.userId())) {
            return null;
        }
        SecurityPrincipal p = security.principal(c, caller.userId());
        if (caller.onBehalfOf() != null && !caller.onBehalfOf().equals(caller.userId())) {
            p = p.withPrivileges(p.privileges().intersect(security.principal(c, caller.onBehalfOf()).privileges()));
        }
        return p;
    }

    /** The security position of a user (its roles, teams, business unit), for scope checks of workflows. */
    public SecurityPrincipal securityPrincipalFor(UUID userId) {
        return database.inTransaction(c -> security.principal(c, userId));
    }

    /** The security position of a caller, for checks made outside the service (ExecuteWorkflow, impersonation). */
    public SecurityPrincipal securityPrincipal(CallerContext caller) {
        return database.inTransaction(c -> principal(c, caller));
    }

    /** Whether the caller holds the System Administrator role (the admin API needs it off loopback). */
    public boolean isSystemAdministrator(CallerContext caller) {
        return WellKnownPrincipals.SYSTEM_USER.equals(caller.userId())
                || database.inTransaction(c -> security.hasRole(c, caller.userId(), "System Administrator"));
    }

    private static void requireClientWritable(SecurityPrincipal p, EntityMetadata e, String message) {
        if (p != null && !e.security().clientWritable()) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The '" + message + "' method does not support entities of type '" + e.logicalName() + "'.");
        }
    }

    /**
     * Runs several calls of this service as one unit, as a {@code $batch} change set asks: they join one transaction
     * and are committed together, or not at all when the work throws.
     */
    public <T> T inOneTransaction(java.util.function.Supplier<T> work) {
        return database.inTransaction(c -> work.get());
    }

    /** Creates a record and the related records of a deep insert; returns the new record's id. */
    public UUID create(CallerContext caller, Payload payload) {
        return database.inTransaction(c -> createInTransaction(c, caller, payload));
    }

    public UUID create(CallerContext caller, Entity entity) {
        return create(caller, new Payload(entity));
    }

    /**
     * Creates a row the platform writes on the caller's behalf (a system job of ExecuteWorkflow, a log): audit
     * attributes name the caller, but no privilege is checked.
     */
    public UUID createTrusted(CallerContext caller, Entity entity) {
        return createTrusted(caller, entity, true);
    }

    /** As {@link #createTrusted(CallerContext, Entity)}; without lookup checks for a log naming a row another transaction may roll back. */
    public UUID createTrusted(CallerContext caller, Entity entity, boolean checkLookups) {
        return database.inTransaction(c -> {
            EntityMetadata e = entity(entity.logicalName());
            Entity input = entity.copy();
            Map<String, Object> readOnly = new java.util.LinkedHashMap<>();
            for (AttributeMetadata a : e.attributes()) {
                if (!a.validForCreate() && input.contains(a.logicalName()) && !a.logicalName().equals("versionnumber")) {
                    readOnly.put(a.logicalName(), input.remove(a.logicalName()));
                }
            }
            Entity row = prepareCreate(c, caller, e, input);
            readOnly.forEach(row::set);
            if (checkLookups) {
                checkLookups(c, null, e, row, entity.attributes().keySet());
            }
            store.insert(c, row);
            written(c, e);
            return row.id();
        });
    }

    /**
     * Writes attributes the platform maintains (read-only to clients: a job's state and error, a definition's
     * active activation), without privilege checks or the event pipeline; audit attributes name the caller.
     */
    public void updateTrusted(CallerContext caller, Entity changes) {
        if (!updateTrusted(caller, changes, null)) {
            throw DataverseFault.notFound(changes.logicalName(), changes.id());
        }
    }

    /**
     * As {@link #updateTrusted(CallerContext, Entity)}, as a compare-and-set when {@code expectedVersion} is given:
     * answers false, writing nothing, when the row is gone or another writer changed it first.
     */
    public boolean updateTrusted(CallerContext caller, Entity changes, Long expectedVersion) {
        return database.inTransaction(c -> {
            EntityMetadata e = entity(changes.logicalName());
            Entity row = new Entity(e.logicalName(), changes.id());
            for (Map.Entry<String, Object> v : changes.attributes().entrySet()) {
                AttributeMetadata a = attribute(e, v.getKey());
                if (!a.logicalName().equals(e.primaryIdAttribute())) {
                    row.set(a.logicalName(), AttributeRules.check(catalog, e, a, v.getValue()));
                }
            }
            platform.modified(e, row, caller);
            setIfPresent(e, row, "versionnumber", store.nextVersion(c));
            boolean updated = store.update(c, row, expectedVersion);
            if (updated) {
                written(c, e);
            }
            return updated;
        });
    }

    private UUID createInTransaction(Connection c, CallerContext caller, Payload payload) throws SQLException {
        return createInTransaction(c, caller, payload, false);
    }

    /** An upsert's create found its id inserted meanwhile by another request. */
    private static final class IdTaken extends RuntimeException {
        IdTaken() {
            super(null, null, false, false);
        }
    }

    /** With {@code upsertTarget}, a row of the same id inserted meanwhile by another request throws {@link IdTaken}. */
    private UUID createInTransaction(Connection c, CallerContext caller, Payload payload, boolean upsertTarget) throws SQLException {
        Entity entity = payload.entity();
        for (Payload.BoundInsert b : payload.before()) {
            UUID relatedId = createInTransaction(c, caller, b.related());
            entity.set(b.lookupAttribute(), new EntityReference(b.related().entity().logicalName(), relatedId));
        }
        Entity row = run(c, caller, new CreateMessage(entity(entity.logicalName()), entity, upsertTarget));
        for (Payload.RelatedInsert r : payload.after()) {
            r.related().entity().set(r.lookupAttribute(), new EntityReference(row.logicalName(), row.id()));
            createInTransaction(c, caller, r.related());
        }
        return row.id();
    }

    private Entity prepareCreate(Connection c, CallerContext caller, EntityMetadata e, Entity input) throws SQLException {
        Entity row = new Entity(e.logicalName(), input.id() != null ? input.id() : UUID.randomUUID());
        for (Map.Entry<String, Object> v : input.attributes().entrySet()) {
            AttributeMetadata a = attribute(e, v.getKey());
            if (a.logicalName().equals(e.primaryIdAttribute())) {
                continue;
            }
            if (!a.validForCreate()) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The '" + a.logicalName() + "' attribute of the '" + e.logicalName()
                        + "' entity is read-only and cannot be set on create.");
            }
            row.set(a.logicalName(), AttributeRules.check(catalog, e, a, v.getValue()));
        }
        platform.defaults(e, row);
        AttributeRules.resolveState(e, row, null);
        platform.created(e, row, caller);
        EntityReference user = new EntityReference("systemuser", caller.userId());
        if (e.hasAttribute("ownerid")) {
            EntityReference owner = (EntityReference) row.get("ownerid");
            setOwner(c, e, row, owner != null ? owner : user);
        }
        if (e.hasAttribute("organizationid") && e.attribute("organizationid").get().type() == dev.dve.metadata.AttributeType.UNIQUEIDENTIFIER
                && !e.primaryIdAttribute().equals("organizationid")) {
            row.set("organizationid", organizationId(c));
        }
        if (e.security().userKeyed()) {
            keyedToUser(c, e, input, row);
        }
        platform.formulas(e, row, row.attributes());
        platform.lookupTypes(e, row);
        for (AttributeMetadata a : e.attributes()) {
            if (a.required() == dev.dve.metadata.RequiredLevel.SYSTEMREQUIRED && !a.logicalName().equals(e.primaryIdAttribute())
                    && a.validForCreate() && row.get(a.logicalName()) == null) {
                throw requiredMissing(e, a);
            }
        }
        setIfPresent(e, row, "versionnumber", store.nextVersion(c));
        return row;
    }

    /** Retrieves one record; columns null means all. */
    public Entity retrieve(CallerContext caller, String entityName, UUID id, List<String> columns, boolean lookupNames) {
        EntityMetadata e = entity(entityName);
        return database.inTransaction(c -> {
            SecurityPrincipal p = principal(c, caller);
            if (p != null) {
                access.requireEntity(p, e, AccessRight.READ);
            }
            List<String> cols = columns == null ? null : withAll(columns, access.positionAttributes(e));
            Entity row = store.retrieve(c, e.logicalName(), id, cols, lookupNames)
                    .orElseThrow(() -> DataverseFault.notFound(e.logicalName(), id));
            if (p != null) {
                access.requireRecord(p, e, AccessRight.READ, access.position(e, row));
                requireReadableParent(c, p, e, id);
            }
            return row;
        });
    }

    /**
     * A row whose reads are governed by its parent (a process log by its system job or process session) is readable
     * only when the row passes the same read filter a query of the table gets.
     */
    private void requireReadableParent(Connection c, SecurityPrincipal p, EntityMetadata e, UUID id) throws SQLException {
        if (e.security().parentLookup() == null) {
            return;
        }
        Criterion filter = access.readFilter(p, e);
        if (filter != null && store.count(c, new QueryExpression(e.logicalName()).columns(List.of())
                .where(Condition.of(e.primaryIdAttribute(), ConditionOperator.EQUAL, id)).where(filter)) == 0) {
            throw new DataverseFault(ErrorCode.PRIVILEGE_DENIED, "Principal user (Id=" + p.userId() + ") does not have read access to the "
                    + e.security().parentLookup() + " record of " + e.logicalName() + " With Id = " + id + ".");
        }
    }

    /** The record if it exists and the caller may read it; empty if it does not exist. */
    public Optional<Entity> find(CallerContext caller, String entityName, UUID id) {
        EntityMetadata e = entity(entityName);
        boolean exists = database.inTransaction(c -> store.exists(c, e, id));
        return exists ? Optional.of(retrieve(caller, entityName, id, null, false)) : Optional.empty();
    }

    private static List<String> withAll(List<String> columns, List<String> extra) {
        List<String> out = new java.util.ArrayList<>(columns);
        for (String x : extra) {
            if (!out.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }

    /** Runs a query; with {@code count} the total (at most 5000) comes back too. */
    public EntityCollection retrieveMultiple(CallerContext caller, QueryExpression query, boolean count) {
        EntityMetadata e = entity(query.entityName());
        return database.inTransaction(c -> {
            secure(c, caller, e, query);
            List<Entity> rows = store.retrieveMultiple(c, query);
            long total = count ? Math.min(store.count(c, query), MAX_COUNT) : -1;
            return new EntityCollection(rows, total);
        });
    }

    /** Runs a grouping/aggregate query over the rows the caller may read. */
    public List<Map<String, Object>> aggregate(CallerContext caller, QueryExpression query) {
        EntityMetadata e = entity(query.entityName());
        return database.inTransaction(c -> {
            secure(c, caller, e, query);
            int limit = query.aggregation().recordLimit();
            if (store.count(c, query) > limit) {
                throw new DataverseFault(ErrorCode.AGGREGATE_QUERY_RECORD_LIMIT, "AggregateQueryRecordLimit exceeded. Cannot perform this operation.");
            }
            return store.aggregate(c, query);
        });
    }

    public long count(CallerContext caller, QueryExpression query) {
        EntityMetadata e = entity(query.entityName());
        return database.inTransaction(c -> {
            secure(c, caller, e, query);
            return store.count(c, query);
        });
    }

    /**
     * Narrows a query to the rows the caller may read; the narrowing is part of the SQL. The query gets new criteria
     * and links rather than changed ones, as a count and a page of the same request may share their parts.
     */
    private void secure(Connection c, CallerContext caller, EntityMetadata e, QueryExpression query) throws SQLException {
        SecurityPrincipal p = principal(c, caller);
        if (p != null) {
            querySecurity.secure(p, query);
        }
    }

    /**
     * Values set by pre-operation steps meet the same rules as the caller's: type, length, range, options, and
     * system-required attributes stay set.
     */
    private void recheck(EntityMetadata e, Entity row) {
        for (Map.Entry<String, Object> v : new java.util.ArrayList<>(row.attributes().entrySet())) {
            AttributeMetadata a = attribute(e, v.getKey());
            Object value = AttributeRules.check(catalog, e, a, v.getValue());
            if (value == null && a.required() == dev.dve.metadata.RequiredLevel.SYSTEMREQUIRED && !a.logicalName().equals(e.primaryIdAttribute())) {
                throw requiredMissing(e, a);
            }
            row.set(a.logicalName(), value);
        }
    }

    /** Updates the given attributes; with {@code expectedVersion} only if the row still has that version. */
    public void update(CallerContext caller, Entity changes, Long expectedVersion) {
        database.inTransaction(c -> {
            updateInTransaction(c, caller, changes, expectedVersion);
            return null;
        });
    }

    private void updateInTransaction(Connection c, CallerContext caller, Entity changes, Long expectedVersion) throws SQLException {
        run(c, caller, new UpdateMessage(entity(changes.logicalName()), changes, expectedVersion));
    }

    /**
     * Deletes a record; with {@code expectedVersion} only if the row still has that version. The relationships in
     * which it is the referenced row follow their delete cascade, in the same transaction: referencing rows are
     * deleted (Cascade) or unlinked (RemoveLink), or the delete is refused while they exist (Restrict).
     */
    public void delete(CallerContext caller, String entityName, UUID id, Long expectedVersion) {
        EntityMetadata e = entity(entityName);
        database.inTransaction(c -> {
            deleteInTransaction(c, caller, e, id, expectedVersion, new java.util.HashSet<>(), false);
            return null;
        });
    }

    /**
     * One row's delete. A cascaded one is the platform's: the caller's privileges on the referencing rows are not
     * checked (Dataverse deletes a parent's children even where the caller could not delete them one by one), but
     * its steps and rules run as for any delete. {@code deleting} holds the rows this request is deleting, so that
     * a hierarchy referencing itself ends.
     */
    private void deleteInTransaction(Connection c, CallerContext caller, EntityMetadata e, UUID id, Long expectedVersion,
                                     java.util.Set<String> deleting, boolean cascaded) throws SQLException {
        run(c, caller, new DeleteMessage(e, id, expectedVersion, deleting, cascaded));
    }

    /**
     * The one sequence every write message runs, so that create, update and delete cannot drift apart:
     * <ol>
     * <li>authorize the message (the entity is client-writable, the caller holds the privilege);</li>
     * <li>lock and read the row it changes (update, delete) and authorize the caller on that record;</li>
     * <li>the platform's rules on the caller's values, and the caller's expected version;</li>
     * <li>validate the values into the row to write, and authorize what they ask (the new record's position, an
     *     assignment);</li>
     * <li>the pre-operation steps, whose values are then checked as the caller's own: types, required values, the
     *     owner, computed and table-name columns, and every lookup the caller or a step set (exists, AppendTo);</li>
     * <li>the write, then the post-operation steps.</li>
     * </ol>
     */
    private Entity run(Connection c, CallerContext caller, WriteMessage m) throws SQLException {
        EntityMetadata e = m.entity;
        SecurityPrincipal p = m.platformWrite ? null : principal(c, caller);
        requireClientWritable(p, e, m.sdkName());
        if (p != null) {
            access.requireEntity(p, e, m.right());
        }
        Entity existing = m.lockExisting(c);
        if (p != null && existing != null) {
            access.requireRecord(p, e, m.right(), access.position(e, existing));
        }
        for (UpdateRule rule : updateRules) {
            m.check(rule, p, existing);
        }
        Long currentVersion = existing == null ? null : (Long) existing.get("versionnumber");
        // a client's expected version (If-Match) meets the version it can see: none where the table keeps its
        // versionnumber for the platform, as on a table without one
        if (m.expectedVersion != null && !m.expectedVersion.equals(e.clientVersioned() ? currentVersion : null)) {
            throw versionMismatch();
        }
        Entity row = m.validate(c, caller, existing);
        if (p != null) {
            m.authorize(p, existing, row);
        }
        checkDepth(caller);
        Map<String, Object> beforeSteps = new java.util.HashMap<>(row.attributes());
        pipeline.preOperation(m.message(), caller, e, existing, row);
        if (m.writesValues()) {
            java.util.Set<String> setBySteps = setByStep(beforeSteps, row);
            recheck(e, row);
            if (setBySteps.contains("ownerid")) {
                setOwner(c, e, row, (EntityReference) row.get("ownerid"));
            }
            Map<String, Object> values = new java.util.HashMap<>(existing == null ? Map.of() : existing.attributes());
            values.putAll(row.attributes());
            platform.formulas(e, row, values);
            platform.lookupTypes(e, row);
            java.util.Set<String> lookups = new java.util.HashSet<>(m.callerAttributes());
            lookups.addAll(setBySteps);
            checkLookups(c, p, e, row, lookups);
            m.stamp(c, caller, row);
        }
        m.write(c, caller, row, currentVersion);
        written(c, e);
        pipeline.postOperation(m.message(), caller, e, existing, row);
        return row;
    }

    /** One write message's own parts of {@link #run}. */
    private abstract class WriteMessage {
        final EntityMetadata entity;
        final Long expectedVersion;
        /** A write the platform makes (a cascade): no privilege is checked, rules and steps run. */
        final boolean platformWrite;

        private final EventPipeline.Message message;
        /** The privilege the message needs on the record. */
        private final AccessRight right;

        WriteMessage(EventPipeline.Message message, AccessRight right, EntityMetadata entity, Long expectedVersion, boolean platformWrite) {
            this.message = message;
            this.right = right;
            this.entity = entity;
            this.expectedVersion = expectedVersion;
            this.platformWrite = platformWrite;
        }

        EventPipeline.Message message() {
            return message;
        }

        AccessRight right() {
            return right;
        }

        /** The SDK message's name, as Dataverse's errors spell it ("Create"). */
        String sdkName() {
            String n = message.name();
            return n.charAt(0) + n.substring(1).toLowerCase(java.util.Locale.ROOT);
        }

        /** The row the message changes, read under its lock; null when it makes a new one. */
        Entity lockExisting(Connection c) throws SQLException {
            return null;
        }

        Entity lockAndRead(Connection c, UUID id) throws SQLException {
            // Writers of one row queue on its lock: the version compared and the values merged into formulas are then
            // those of the row this write overwrites, so a caller without an ETag never loses a race (last writer
            // wins) and one with an ETag loses only when the row really moved on.
            if (!store.lock(c, entity, id)) {
                throw DataverseFault.notFound(entity.logicalName(), id);
            }
            return store.retrieve(c, entity.logicalName(), id, null, false)
                    .orElseThrow(() -> DataverseFault.notFound(entity.logicalName(), id));
        }

        /** A platform rule on the caller's values. */
        abstract void check(UpdateRule rule, SecurityPrincipal p, Entity existing);

        /** The row to write (for a delete, the row deleted), from the caller's values. */
        abstract Entity validate(Connection c, CallerContext caller, Entity existing) throws SQLException;

        /** What the values ask beyond the message's privilege on the record. */
        void authorize(SecurityPrincipal p, Entity existing, Entity row) {
        }

        /** Whether the message writes values (create, update) rather than removing the row. */
        boolean writesValues() {
            return true;
        }

        /** The attributes the caller set, whose lookups are checked. */
        java.util.Set<String> callerAttributes() {
            return java.util.Set.of();
        }

        /** The stamps of the write itself. */
        void stamp(Connection c, CallerContext caller, Entity row) throws SQLException {
        }

        abstract void write(Connection c, CallerContext caller, Entity row, Long currentVersion) throws SQLException;
    }

    private final class CreateMessage extends WriteMessage {
        private final Entity input;
        private final boolean upsertTarget;

        CreateMessage(EntityMetadata entity, Entity input, boolean upsertTarget) {
            super(EventPipeline.Message.CREATE, AccessRight.CREATE, entity, null, false);
            this.input = input;
            this.upsertTarget = upsertTarget;
        }

        @Override
        void check(UpdateRule rule, SecurityPrincipal p, Entity existing) {
            rule.beforeCreate(p, entity, input);
        }

        @Override
        Entity validate(Connection c, CallerContext caller, Entity existing) throws SQLException {
            return prepareCreate(c, caller, entity, input);
        }

        @Override
        void authorize(SecurityPrincipal p, Entity existing, Entity row) {
            access.requireRecord(p, entity, AccessRight.CREATE, access.position(entity, row));
        }

        @Override
        java.util.Set<String> callerAttributes() {
            return input.attributes().keySet();
        }

        @Override
        void write(Connection c, CallerContext caller, Entity row, Long currentVersion) throws SQLException {
            if (!upsertTarget) {
                store.insert(c, row);
            } else if (!store.insertUnlessPresent(c, row)) {
                throw new IdTaken();
            }
        }
    }

    private final class UpdateMessage extends WriteMessage {
        private final Entity changes;

        UpdateMessage(EntityMetadata entity, Entity changes, Long expectedVersion) {
            super(EventPipeline.Message.UPDATE, AccessRight.WRITE, entity, expectedVersion, false);
            this.changes = changes;
        }

        @Override
        Entity lockExisting(Connection c) throws SQLException {
            return lockAndRead(c, changes.id());
        }

        @Override
        void check(UpdateRule rule, SecurityPrincipal p, Entity existing) {
            rule.beforeUpdate(p, entity, existing, changes);
        }

        @Override
        Entity validate(Connection c, CallerContext caller, Entity existing) throws SQLException {
            Entity row = new Entity(entity.logicalName(), changes.id());
            for (Map.Entry<String, Object> v : changes.attributes().entrySet()) {
                AttributeMetadata a = attribute(entity, v.getKey());
                if (a.logicalName().equals(entity.primaryIdAttribute())) {
                    if (v.getValue() != null && !v.getValue().equals(changes.id())) {
                        throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The primary key '" + a.logicalName() + "' cannot be changed.");
                    }
                    continue;
                }
                if (!a.validForUpdate()) {
                    throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The '" + a.logicalName() + "' attribute of the '" + entity.logicalName()
                            + "' entity is read-only and cannot be changed.");
                }
                Object value = AttributeRules.check(catalog, entity, a, v.getValue());
                if (value == null && a.required() == dev.dve.metadata.RequiredLevel.SYSTEMREQUIRED) {
                    throw requiredMissing(entity, a);
                }
                row.set(a.logicalName(), value);
            }
            AttributeRules.resolveState(entity, row, (Integer) existing.get("statecode"));
            if (row.contains("ownerid")) {
                setOwner(c, entity, row, (EntityReference) row.get("ownerid"));
            }
            return row;
        }

        @Override
        void authorize(SecurityPrincipal p, Entity existing, Entity row) {
            if (changes.contains("ownerid") && !java.util.Objects.equals(changes.get("ownerid"), existing.get("ownerid"))) {
                access.requireRecord(p, entity, AccessRight.ASSIGN, access.position(entity, existing));
            }
        }

        @Override
        java.util.Set<String> callerAttributes() {
            return changes.attributes().keySet();
        }

        @Override
        void stamp(Connection c, CallerContext caller, Entity row) throws SQLException {
            platform.modified(entity, row, caller);
            setIfPresent(entity, row, "versionnumber", store.nextVersion(c));
        }

        @Override
        void write(Connection c, CallerContext caller, Entity row, Long currentVersion) throws SQLException {
            // Other transactions wait on the lock, so only a nested operation of this one (a workflow it triggered)
            // can have moved the version since the read; refuse rather than write formulas computed from a stale row.
            if (!store.update(c, row, currentVersion)) {
                throw versionMismatch();
            }
        }
    }

    private final class DeleteMessage extends WriteMessage {
        private final UUID id;
        private final java.util.Set<String> deleting;

        DeleteMessage(EntityMetadata entity, UUID id, Long expectedVersion, java.util.Set<String> deleting, boolean cascaded) {
            super(EventPipeline.Message.DELETE, AccessRight.DELETE, entity, expectedVersion, cascaded);
            this.id = id;
            this.deleting = deleting;
        }

        @Override
        Entity lockExisting(Connection c) throws SQLException {
            return lockAndRead(c, id);
        }

        @Override
        void check(UpdateRule rule, SecurityPrincipal p, Entity existing) {
            rule.beforeDelete(p, entity, existing);
        }

        @Override
        Entity validate(Connection c, CallerContext caller, Entity existing) {
            deleting.add(entity.logicalName() + ":" + id);
            return existing;
        }

        @Override
        boolean writesValues() {
            return false;
        }

        @Override
        void write(Connection c, CallerContext caller, Entity row, Long currentVersion) throws SQLException {
            cascadeDelete(c, caller, entity, id, deleting);
            if (!store.delete(c, entity.logicalName(), id, currentVersion)) {
                throw versionMismatch();
            }
        }
    }

    /** What deleting the row does to the rows referencing it, relationship by relationship. */
    private void cascadeDelete(Connection c, CallerContext caller, EntityMetadata e, UUID id, java.util.Set<String> deleting) throws SQLException {
        for (dev.dve.metadata.OneToManyRelationship r : catalog.oneToMany(e.logicalName())) {
            dev.dve.metadata.CascadeType rule = r.cascade().delete();
            if (rule == dev.dve.metadata.CascadeType.NO_CASCADE) {
                continue;
            }
            EntityMetadata child = entity(r.referencingEntity());
            List<UUID> children = store.referencing(c, r, id).stream()
                    .filter(childId -> !deleting.contains(child.logicalName() + ":" + childId)).toList();
            if (children.isEmpty()) {
                continue;
            }
            switch (rule) {
                case RESTRICT -> throw new DataverseFault(ErrorCode.CANNOT_DELETE_DUE_TO_ASSOCIATION,
                        "The object you tried to delete is associated with another object and cannot be deleted.");
                case CASCADE -> {
                    for (UUID childId : children) {
                        // an earlier branch of this cascade may have taken it already
                        if (!deleting.contains(child.logicalName() + ":" + childId) && store.exists(c, child, childId)) {
                            deleteInTransaction(c, caller, child, childId, null, deleting, true);
                        }
                    }
                }
                case REMOVE_LINK -> {
                    for (UUID childId : children) {
                        removeLink(c, caller, child, r.referencingAttribute(), childId);
                    }
                }
                default -> throw new IllegalStateException("relationship " + r.schemaName() + " has delete " + rule);
            }
        }
    }

    /** Clears a referencing row's lookup: a platform write, which moves the row's version and modification stamp. */
    private void removeLink(Connection c, CallerContext caller, EntityMetadata e, String lookup, UUID id) throws SQLException {
        Entity row = new Entity(e.logicalName(), id).set(lookup, null);
        platform.lookupTypes(e, row);
        platform.modified(e, row, caller);
        setIfPresent(e, row, "versionnumber", store.nextVersion(c));
        store.update(c, row, null);
        written(c, e);
    }

    /**
     * Creates the record with the payload's id when it does not exist, updates it when it does. Concurrent upserts of
     * one new id create it once; the others update the row the winner created.
     */
    public UpsertResult upsert(CallerContext caller, Payload payload, UpsertMode mode, Long expectedVersion) {
        Entity entity = payload.entity();
        EntityMetadata e = entity(entity.logicalName());
        return database.inTransaction(c -> {
            while (!store.lock(c, e, entity.id())) {
                if (mode == UpsertMode.UPDATE_ONLY || expectedVersion != null) {
                    throw DataverseFault.notFound(e.logicalName(), entity.id());
                }
                try {
                    // Under a savepoint: when another request inserts the id between the look above and this insert,
                    // what this create wrote (pre-operation steps, deep inserts) is undone and the upsert looks again,
                    // now finding the other request's committed row (it goes round again only if that row was
                    // deleted meanwhile too).
                    return new UpsertResult(database.undoOnFailure(c, t -> createInTransaction(t, caller, payload, true)), true);
                } catch (IdTaken taken) {
                    // look again
                }
            }
            if (mode == UpsertMode.CREATE_ONLY) {
                throw new DataverseFault(ErrorCode.DUPLICATE_RECORD, "A record with matching key values already exists.");
            }
            if (!payload.before().isEmpty() || !payload.after().isEmpty()) {
                throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Deep insert is only supported when creating a record.");
            }
            updateInTransaction(c, caller, entity, expectedVersion);
            return new UpsertResult(entity.id(), false);
        });
    }

    /**
     * A user-keyed row (usersettings) belongs to the user its key names: the user must exist, and the row sits in the
     * user's business unit.
     */
    private void keyedToUser(Connection c, EntityMetadata e, Entity input, Entity row) throws SQLException {
        if (input.id() == null) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "A " + e.logicalName() + " record is keyed by its user: "
                    + e.primaryIdAttribute() + " must be the id of a systemuser.");
        }
        Entity user = store.retrieve(c, "systemuser", row.id(), List.of("businessunitid"), false)
                .orElseThrow(() -> DataverseFault.notFound("systemuser", row.id()));
        setIfPresent(e, row, "businessunitid", user.get("businessunitid"));
    }

    private void setOwner(Connection c, EntityMetadata e, Entity row, EntityReference owner) throws SQLException {
        if (owner == null) {
            throw requiredMissing(e, e.attribute("ownerid").orElseThrow());
        }
        Entity principal = store.retrieve(c, owner.logicalName(), owner.id(), List.of("businessunitid"), false)
                .orElseThrow(() -> DataverseFault.notFound(owner.logicalName(), owner.id()));
        platform.owned(e, row, owner, principal.get("businessunitid"));
    }

    /**
     * The attributes a pre-operation step (a real-time workflow's update of the target) set or changed: its lookups
     * are checked as the caller's own are — the row they name exists and the caller may append to it.
     */
    private static java.util.Set<String> setByStep(Map<String, Object> before, Entity row) {
        java.util.Set<String> out = new java.util.HashSet<>();
        row.attributes().forEach((k, v) -> {
            if (!java.util.Objects.equals(before.get(k), v)) {
                out.add(k);
            }
        });
        return out;
    }

    /**
     * Every lookup the client set must point at an existing row; linking needs Append on this entity and AppendTo
     * reaching the target row.
     */
    private void checkLookups(Connection c, SecurityPrincipal p, EntityMetadata e, Entity row, java.util.Set<String> clientSet) throws SQLException {
        boolean appendChecked = false;
        for (Map.Entry<String, Object> v : row.attributes().entrySet()) {
            if (!(v.getValue() instanceof EntityReference r) || isPlatformReference(v.getKey()) || !clientSet.contains(v.getKey())) {
                continue;
            }
            EntityMetadata target = entity(r.logicalName());
            if (target.logicalName().equals(e.logicalName()) && r.id().equals(row.id())) {
                continue;
            }
            Optional<Entity> targetRow = store.retrieve(c, target.logicalName(), r.id(), access.positionAttributes(target), false);
            if (targetRow.isEmpty()) {
                throw DataverseFault.notFound(target.logicalName(), r.id());
            }
            if (p != null) {
                if (!appendChecked) {
                    access.requireEntity(p, e, AccessRight.APPEND);
                    appendChecked = true;
                }
                access.requireRecord(p, target, AccessRight.APPENDTO, access.position(target, targetRow.get()));
            }
        }
    }

    /** Audit and ownership lookups the platform fills in; the principals they name were already checked. */
    private static boolean isPlatformReference(String attribute) {
        return switch (attribute) {
            case "createdby", "modifiedby", "createdonbehalfby", "modifiedonbehalfby", "owninguser", "owningteam",
                 "owningbusinessunit", "ownerid" -> true;
            default -> false;
        };
    }

    private UUID organizationId(Connection c) throws SQLException {
        UUID id = organizationId;
        if (id == null) {
            List<Entity> orgs = store.retrieveMultiple(c, new QueryExpression("organization").columns(List.of()).top(1));
            id = orgs.isEmpty() ? null : orgs.get(0).id();
            organizationId = id;
        }
        return id;
    }

    /** The organization's id, or null before the fixtures are loaded. */
    public UUID organizationId() {
        return database.inTransaction(this::organizationId);
    }

    /** Forgets cached organization facts (after a reset). */
    public void forgetCaches() {
        organizationId = null;
    }

    private static void setIfPresent(EntityMetadata e, Entity row, String attribute, Object value) {
        PlatformAttributes.set(e, row, attribute, value);
    }

    private static DataverseFault requiredMissing(EntityMetadata e, AttributeMetadata a) {
        return new DataverseFault(ErrorCode.REQUIRED_ATTRIBUTE_MISSING, "Attribute '" + a.logicalName() + "' of entity '"
                + e.logicalName() + "' cannot be NULL.");
    }

    private static DataverseFault versionMismatch() {
        return new DataverseFault(ErrorCode.CONCURRENCY_VERSION_MISMATCH,
                "The version of the existing record doesn't match the RowVersion property provided.");
    }

    private EntityMetadata entity(String logicalName) {
        return catalog.entity(logicalName).orElseThrow(() -> new DataverseFault(ErrorCode.INVALID_ARGUMENT,
                "The entity with a name = '" + logicalName + "' with namemapping = 'Logical' was not found in the MetadataCache."));
    }

    private static AttributeMetadata attribute(EntityMetadata e, String name) {
        return e.attribute(name).orElseThrow(() -> new DataverseFault(ErrorCode.INVALID_ARGUMENT,
                "'" + e.logicalName() + "' entity doesn't contain attribute with Name = '" + name + "'."));
    }
}
