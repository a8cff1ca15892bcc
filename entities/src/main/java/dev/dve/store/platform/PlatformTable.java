package dev.dve.store.platform;

import dev.dve.store.Database;
import dev.dve.store.SchemaBuilder;

import java.sql.PreparedStatement;
import java.util.Map;

/** One bookkeeping table: created when missing, its identifiers quoted by the dialect, emptied on reset. */
abstract class PlatformTable {
    protected final Database database;
    protected final String table;

    PlatformTable(Database database, SchemaBuilder schema, String table, Map<String, String> columns, String key) {
        this.database = database;
        this.table = table;
        schema.ensureTable(table, columns, key);
    }

    protected final String q(String identifier) {
        return database.dialect().quote(identifier);
    }

    /** Deletes every row. */
    protected final void deleteAll() {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(table))) {
                ps.executeUpdate();
            }
            return null;
        });
    }
}
