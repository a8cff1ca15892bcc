package dev.dve.store;

import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.OneToManyRelationship;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows of every entity over JDBC: one table per entity, one column per attribute. It checks nothing about
 * the values (the organization service does) and always runs inside the caller's transaction.
 */
public final class RecordStore {
    private final MetadataCatalog catalog;
    private final SqlDialect dialect;
    private final QueryTranslator translator;

    public RecordStore(MetadataCatalog catalog, SqlDialect dialect) {
        this.catalog = catalog;
        this.dialect = dialect;
        this.translator = new QueryTranslator(catalog, dialect);
    }

    public MetadataCatalog catalog() {
        return catalog;
    }

    public QueryTranslator translator() {
        return translator;
    }

    /** The next row version: one sequence for the whole organization, as Dataverse's versionnumber is. */
    public long nextVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.nextValue(SchemaBuilder.VERSION_SEQUENCE));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void insert(Connection c, Entity row) throws SQLException {
        try (PreparedStatement ps = insertStatement(row, "").prepare(c)) {
            ps.executeUpdate();
        }
    }

    /**
     * Inserts the row unless another transaction inserted its id first, and returns false then, leaving that row
     * unchanged: an upsert that lost the race to create looks again and updates it. (Only the primary key is unique,
     * so a duplicate key is the id.)
     */
    public boolean insertUnlessPresent(Connection c, Entity row) throws SQLException {
        EntityMetadata e = catalog.require(row.logicalName());
        String keep = dialect.keepExistingOnDuplicateKey(dialect.quote(e.primaryIdAttribute()));
        Object version = row.get("versionnumber");
        if (keep == null || version == null) {
            // An entity without versionnumber leaves nothing to tell the no-op from an insert, so it takes this way
            // on MariaDB too, where several requests losing the same race can then deadlock.
            try {
                insert(c, row);
                return true;
            } catch (SQLException ex) {
                if (dialect.isDuplicateKey(ex)) {
                    return false;
                }
                throw ex;
            }
        }
        try (PreparedStatement ps = insertStatement(row, keep).prepare(c)) {
            ps.executeUpdate();
        }
        // The update count cannot tell which way it went (1 for an insert and, with the driver's found-rows default,
        // 1 for the no-op too), but the version can: it comes from the organization's sequence, so only the row this
        // statement inserted carries it. The row is locked by this transaction either way, so the read is stable.
        return version.equals(versionOf(c, e, row.id()));
    }

    private Long versionOf(Connection c, EntityMetadata e, UUID id) throws SQLException {
        String sql = "SELECT " + dialect.quote("versionnumber") + " FROM " + dialect.quote(e.tableName())
                + " WHERE " + dialect.quote(e.primaryIdAttribute()) + " = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private SqlStatement insertStatement(Entity row, String suffix) {
        EntityMetadata e = catalog.require(row.logicalName());
        List<String> cols = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        cols.add(e.primaryIdAttribute());
        params.add(JdbcValues.toJdbc(row.id()));
        for (Map.Entry<String, Object> v : row.attributes().entrySet()) {
            if (v.getKey().equals(e.primaryIdAttribute())) {
                continue;
            }
            addColumn(e, v.getKey(), v.getValue(), cols, params);
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(dialect.quote(e.tableName())).append(" (");
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dialect.quote(cols.get(i)));
            marks.append(i == 0 ? "?" : ", ?");
        }
        sql.append(") VALUES (").append(marks).append(')').append(suffix);
        return new SqlStatement(sql.toString(), params);
    }

    /**
     * Writes the given attributes of a row. With {@code expectedVersion} the write happens only if the row still
     * has that version. Returns whether a row was written.
     */
    public boolean update(Connection c, Entity row, Long expectedVersion) throws SQLException {
        EntityMetadata e = catalog.require(row.logicalName());
        List<String> cols = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Map.Entry<String, Object> v : row.attributes().entrySet()) {
            if (!v.getKey().equals(e.primaryIdAttribute())) {
                addColumn(e, v.getKey(), v.getValue(), cols, params);
            }
        }
        if (cols.isEmpty()) {
            return exists(c, e, row.id());
        }
        StringBuilder sql = new StringBuilder("UPDATE ").append(dialect.quote(e.tableName())).append(" SET ");
        for (int i = 0; i < cols.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dialect.quote(cols.get(i))).append(" = ?");
        }
        sql.append(" WHERE ").append(dialect.quote(e.primaryIdAttribute())).append(" = ?");
        params.add(row.id().toString());
        if (expectedVersion != null) {
            sql.append(" AND ").append(dialect.quote("versionnumber")).append(" = ?");
            params.add(expectedVersion);
        }
        try (PreparedStatement ps = new SqlStatement(sql.toString(), params).prepare(c)) {
            return ps.executeUpdate() == 1;
        }
    }

    public boolean delete(Connection c, String entity, UUID id, Long expectedVersion) throws SQLException {
        EntityMetadata e = catalog.require(entity);
        String sql = "DELETE FROM " + dialect.quote(e.tableName()) + " WHERE " + dialect.quote(e.primaryIdAttribute()) + " = ?"
                + (expectedVersion != null ? " AND " + dialect.quote("versionnumber") + " = ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            if (expectedVersion != null) {
                ps.setLong(2, expectedVersion);
            }
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The rows referencing a row through a one-to-many relationship, locked until this transaction ends: those whose
     * lookup holds the id (and, for a lookup that may point at several tables, names the referenced table).
     */
    public List<UUID> referencing(Connection c, OneToManyRelationship r, UUID id) throws SQLException {
        EntityMetadata e = catalog.require(r.referencingEntity());
        AttributeMetadata a = e.attribute(r.referencingAttribute()).orElseThrow();
        StringBuilder sql = new StringBuilder("SELECT ").append(dialect.quote(e.primaryIdAttribute())).append(" FROM ")
                .append(dialect.quote(e.tableName())).append(" WHERE ").append(dialect.quote(a.logicalName())).append(" = ?");
        List<Object> params = new ArrayList<>();
        params.add(id.toString());
        if (a.isPolymorphic()) {
            sql.append(" AND ").append(dialect.quote(Columns.lookupType(a))).append(" = ?");
            params.add(r.referencedEntity());
        }
        sql.append(" ORDER BY ").append(dialect.quote(e.primaryIdAttribute())).append(dialect.forUpdate());
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement ps = new SqlStatement(sql.toString(), params).prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(UUID.fromString(rs.getString(1)));
            }
        }
        return out;
    }

    /**
     * Locks a row until this transaction ends and tells whether it exists. Other writers of the row wait for the
     * lock, so what this transaction reads of the row afterwards is its latest committed version and stays so until
     * the transaction's own write: a read-modify-write cannot interleave with another.
     */
    public boolean lock(Connection c, EntityMetadata e, UUID id) throws SQLException {
        String sql = "SELECT " + dialect.quote(e.primaryIdAttribute()) + " FROM " + dialect.quote(e.tableName())
                + " WHERE " + dialect.quote(e.primaryIdAttribute()) + " = ?" + dialect.forUpdate();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public boolean exists(Connection c, EntityMetadata e, UUID id) throws SQLException {
        String sql = "SELECT 1 FROM " + dialect.quote(e.tableName()) + " WHERE " + dialect.quote(e.primaryIdAttribute()) + " = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** One row with the given columns (all when null), or empty when it does not exist. */
    public Optional<Entity> retrieve(Connection c, String entity, UUID id, List<String> columns, boolean lookupNames)
            throws SQLException {
        EntityMetadata e = catalog.require(entity);
        QueryExpression q = new QueryExpression(entity).columns(columns).lookupNames(lookupNames)
                .where(Condition.of(e.primaryIdAttribute(), ConditionOperator.EQUAL, id));
        List<Entity> rows = retrieveMultiple(c, q);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public List<Entity> retrieveMultiple(Connection c, QueryExpression q) throws SQLException {
        EntityMetadata e = catalog.require(q.entityName());
        List<AttributeMetadata> attrs = translator.selectedAttributes(q);
        List<Map.Entry<String, AttributeMetadata>> linkedColumns = translator.linkedColumns(q);
        List<Entity> out = new ArrayList<>();
        try (PreparedStatement ps = translator.select(q).prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Entity row = new Entity(e.logicalName());
                for (AttributeMetadata a : attrs) {
                    String defaultTarget = a.soleTarget();
                    Object v = JdbcValues.read(rs, a, a.logicalName(), defaultTarget, q.lookupNames());
                    if (a.logicalName().equals(e.primaryIdAttribute())) {
                        row.setId((UUID) v);
                    }
                    row.set(a.logicalName(), v);
                }
                for (int i = 0; i < linkedColumns.size(); i++) {
                    AttributeMetadata a = linkedColumns.get(i).getValue();
                    String defaultTarget = a.soleTarget();
                    row.set(linkedColumns.get(i).getKey() + "." + a.logicalName(), JdbcValues.read(rs, a, QueryTranslator.linkedLabel(i),
                            QueryTranslator.linkedTypeLabel(i), defaultTarget, null));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** The groups of an aggregate query: group values by attribute name, aggregates by alias. */
    public List<Map<String, Object>> aggregate(Connection c, QueryExpression q) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = translator.aggregate(q).prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                List<String> groupBy = q.aggregation().groupBy();
                for (int gi = 0; gi < groupBy.size(); gi++) {
                    String g = groupBy.get(gi);
                    dev.dve.query.Aggregation.DateGroup dg = q.aggregation().dateGrouping().get(g);
                    if (dg != null) {
                        Object v = rs.getObject(QueryTranslator.groupLabel(gi));
                        Integer n = v instanceof Number number ? Integer.valueOf(number.intValue()) : null;
                        row.put(g, n == null ? v : switch (dg.part()) {
                            case FISCAL_YEAR -> "FY" + n;
                            case FISCAL_PERIOD -> "Quarter " + (n % 10) + " FY" + (n / 10);
                            default -> n;
                        });
                        continue;
                    }
                    AttributeMetadata a = translator.attributeOf(q, g);
                    row.put(g, JdbcValues.read(rs, a, QueryTranslator.groupLabel(gi), QueryTranslator.groupTypeLabel(gi),
                            a.soleTarget(), null));
                }
                List<dev.dve.query.Aggregation.Aggregate> aggregates = q.aggregation().aggregates();
                for (int ai = 0; ai < aggregates.size(); ai++) {
                    dev.dve.query.Aggregation.Aggregate x = aggregates.get(ai);
                    Object v = rs.getObject(QueryTranslator.aggregateLabel(ai));
                    if (v instanceof Number n && !(v instanceof java.math.BigDecimal) && (x.function() == dev.dve.query.Aggregation.Function.COUNT
                            || x.function() == dev.dve.query.Aggregation.Function.COUNT_COLUMN || x.function() == dev.dve.query.Aggregation.Function.COUNT_DISTINCT)) {
                        v = n.longValue();
                    } else if (v instanceof Number n && !(v instanceof java.math.BigDecimal)) {
                        v = new java.math.BigDecimal(n.toString());
                    } else if (v instanceof java.time.LocalDateTime t) {
                        v = t.toInstant(java.time.ZoneOffset.UTC);
                    }
                    row.put(x.alias(), v);
                }
                out.add(row);
            }
        }
        return out;
    }

    public long count(Connection c, QueryExpression q) throws SQLException {
        try (PreparedStatement ps = translator.count(q).prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Deletes every row of every entity (used by reset to fixtures). */
    public void deleteAll(Connection c) throws SQLException {
        for (EntityMetadata e : catalog.entities()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + dialect.quote(e.tableName()))) {
                ps.executeUpdate();
            }
        }
    }

    private void addColumn(EntityMetadata e, String attribute, Object value, List<String> cols, List<Object> params) {
        AttributeMetadata a = e.attribute(attribute).orElseThrow(
                () -> new IllegalArgumentException(e.logicalName() + " has no attribute " + attribute));
        cols.add(a.logicalName());
        params.add(JdbcValues.toJdbc(value));
        if (a.isPolymorphic()) {
            cols.add(Columns.lookupType(a));
            params.add(value instanceof EntityReference r ? r.logicalName() : null);
        }
    }
}
