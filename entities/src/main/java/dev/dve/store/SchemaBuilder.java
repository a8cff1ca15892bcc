package dev.dve.store;

import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates the tables and columns the catalog needs and adds any that are missing, so a new entity or attribute
 * data file takes effect at the next start. It never drops anything.
 */
public final class SchemaBuilder {
    public static final String VERSION_SEQUENCE = "dve_versionnumber";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaBuilder.class);
    private final MetadataCatalog catalog;
    private final Database database;

    public SchemaBuilder(MetadataCatalog catalog, Database database) {
        this.catalog = catalog;
        this.database = database;
    }

    /** Building indexes over existing rows can take minutes; requests get {@link DatabaseConfig#statementTimeout()}. */
    private static final java.time.Duration DDL_TIMEOUT = java.time.Duration.ofMinutes(30);

    /**
     * Nodes starting together on one database create the same tables at once; H2 trips over its own concurrent DDL
     * even with IF NOT EXISTS, so schema changes take turns: in this process by this lock, across processes by the
     * dialect's {@link SqlDialect#schemaLock()}.
     */
    private static final Object PROCESS_SCHEMA_LOCK = new Object();

    public void apply() {
        synchronized (PROCESS_SCHEMA_LOCK) {
            database.inTransactionBoundedBy(DDL_TIMEOUT, c -> {
                String[] lock = database.dialect().schemaLock();
                if (lock == null) {
                    return applyLocked(c);
                }
                try (Statement s = c.createStatement()) {
                    s.execute(lock[0]);
                }
                try {
                    return applyLocked(c);
                } finally {
                    try (Statement s = c.createStatement()) {
                        s.execute(lock[1]);
                    }
                }
            });
        }
    }

    private Void applyLocked(Connection c) throws SQLException {
        SqlDialect d = database.dialect();
        try (Statement s = c.createStatement()) {
            s.execute(d.createSequence(VERSION_SEQUENCE));
            if (d.beforeSchemaChange() != null) {
                s.execute(d.beforeSchemaChange());
            }
        }
        try {
            applyTables(c, d);
        } finally {
            if (d.afterSchemaChange() != null) {
                try (Statement s = c.createStatement()) {
                    s.execute(d.afterSchemaChange());
                }
            }
        }
        return null;
    }

    private void applyTables(Connection c, SqlDialect d) throws SQLException {
        for (EntityMetadata e : catalog.entities()) {
            Map<String, String> wanted = columns(e, d);
            Set<String> existing = existingColumns(c, e.tableName());
            if (existing.isEmpty()) {
                createTable(c, e, wanted, d);
                ensureIndexes(c, e, d);
            } else {
                for (Map.Entry<String, String> col : wanted.entrySet()) {
                    if (!existing.contains(col.getKey().toLowerCase(Locale.ROOT))) {
                        LOG.info("Adding column {}.{}", e.tableName(), col.getKey());
                        try (Statement s = c.createStatement()) {
                            s.execute("ALTER TABLE " + d.quote(e.tableName()) + " ADD COLUMN IF NOT EXISTS " + d.quote(col.getKey()) + " " + col.getValue());
                        }
                    }
                }
                ensureIndexes(c, e, d);
            }
        }
    }

    /**
     * The indexes every entity gets: its lookups (joins, expands, related filters), its primary name, state and
     * creation and modification times (what views filter and sort on), and attributes marked {@code "indexed": true}.
     */
    static java.util.List<String> indexedAttributes(EntityMetadata e) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (AttributeMetadata a : e.attributes()) {
            boolean wanted = a.type().isLookup() || a.logicalName().equals(e.primaryNameAttribute()) || a.indexed()
                    || a.logicalName().equals("statecode") || a.logicalName().equals("createdon") || a.logicalName().equals("modifiedon");
            if (wanted && !a.logicalName().equals(e.primaryIdAttribute()) && (a.type() != dev.dve.metadata.AttributeType.MEMO)
                    && (a.maxLength() == null || a.maxLength() <= 1000)) {
                out.add(a.logicalName());
            }
        }
        return out;
    }

    private static void ensureIndexes(Connection c, EntityMetadata e, SqlDialect d) throws SQLException {
        Set<String> existing = new TreeSet<>();
        DatabaseMetaData md = c.getMetaData();
        for (String candidate : new String[]{e.tableName(), e.tableName().toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = md.getIndexInfo(c.getCatalog(), null, candidate, false, false)) {
                while (rs.next()) {
                    String n = rs.getString("INDEX_NAME");
                    if (n != null) {
                        existing.add(n.toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        for (String a : indexedAttributes(e)) {
            String name = "ix_" + e.tableName() + "_" + a;
            if (name.length() > 60) {
                name = name.substring(0, 60);
            }
            if (!existing.contains(name.toLowerCase(Locale.ROOT))) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE INDEX IF NOT EXISTS " + d.quote(name) + " ON " + d.quote(e.tableName()) + " (" + d.quote(a) + ")");
                }
            }
        }
    }

    /**
     * Extra tables the platform keeps for itself (settings, clock); created like entity tables, and given the columns
     * a newer version added (nullable ones) when the table is there already.
     */
    public void ensureTable(String table, Map<String, String> columns, String primaryKey) {
        synchronized (PROCESS_SCHEMA_LOCK) {
            ensureTableLocked(table, columns, primaryKey);
        }
    }

    private void ensureTableLocked(String table, Map<String, String> columns, String primaryKey) {
        database.inTransaction(c -> {
            Set<String> existing = existingColumns(c, table);
            if (!existing.isEmpty()) {
                for (Map.Entry<String, String> col : columns.entrySet()) {
                    if (!existing.contains(col.getKey().toLowerCase(Locale.ROOT))) {
                        try (Statement s = c.createStatement()) {
                            s.execute("ALTER TABLE " + database.dialect().quote(table) + " ADD COLUMN IF NOT EXISTS "
                                    + database.dialect().quote(col.getKey()) + " " + col.getValue());
                        }
                    }
                }
            } else {
                StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(database.dialect().quote(table)).append(" (");
                for (Map.Entry<String, String> col : columns.entrySet()) {
                    sql.append(database.dialect().quote(col.getKey())).append(' ').append(col.getValue()).append(", ");
                }
                sql.append("PRIMARY KEY (").append(database.dialect().quote(primaryKey)).append("))").append(database.dialect().tableOptions());
                try (Statement s = c.createStatement()) {
                    s.execute(sql.toString());
                }
            }
            return null;
        });
    }

    private static Map<String, String> columns(EntityMetadata e, SqlDialect d) {
        Map<String, String> cols = new LinkedHashMap<>();
        for (AttributeMetadata a : e.attributes()) {
            cols.put(a.logicalName(), d.columnType(a));
            if (a.isPolymorphic()) {
                cols.put(Columns.lookupType(a), d.shortTextType());
            }
        }
        return cols;
    }

    private static void createTable(Connection c, EntityMetadata e, Map<String, String> cols, SqlDialect d) throws SQLException {
        // IF NOT EXISTS: another node starting on the same database may have created it since we looked
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(d.quote(e.tableName())).append(" (");
        for (Map.Entry<String, String> col : cols.entrySet()) {
            sql.append(d.quote(col.getKey())).append(' ').append(col.getValue());
            if (col.getKey().equals(e.primaryIdAttribute())) {
                sql.append(" NOT NULL");
            }
            sql.append(", ");
        }
        sql.append("PRIMARY KEY (").append(d.quote(e.primaryIdAttribute())).append("))").append(d.tableOptions());
        try (Statement s = c.createStatement()) {
            s.execute(sql.toString());
        }
    }

    private static Set<String> existingColumns(Connection c, String table) throws SQLException {
        Set<String> cols = new TreeSet<>();
        DatabaseMetaData md = c.getMetaData();
        for (String candidate : new String[]{table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = md.getColumns(c.getCatalog(), null, candidate, null)) {
                while (rs.next()) {
                    cols.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            if (!cols.isEmpty()) {
                break;
            }
        }
        return cols;
    }
}
