package dev.dve.metadata.csdl;

import java.nio.file.Path;
import java.util.Set;

/**
 * An org's {@code $metadata} document to serve the tables of ({@code --import-metadata}).
 *
 * @param file     the CSDL XML file
 * @param entities logical names to import (with the tables their lookups point at); empty: every table the catalog lacks
 */
public record ImportedMetadata(Path file, Set<String> entities) {
    public ImportedMetadata {
        entities = entities == null ? Set.of() : Set.copyOf(entities);
    }

    public static ImportedMetadata of(Path file) {
        return new ImportedMetadata(file, Set.of());
    }
}
