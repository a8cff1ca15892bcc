package dev.dve.engine.organization;

/** The upsert guards of the Web API: {@code If-Match: *} allows only update, {@code If-None-Match: *} only create. */
public enum UpsertMode {
    CREATE_OR_UPDATE, UPDATE_ONLY, CREATE_ONLY
}
