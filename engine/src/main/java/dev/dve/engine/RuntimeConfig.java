package dev.dve.engine;

import dev.dve.store.DatabaseConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * How to assemble an organization: its database, extra entity data files, fixtures (null = the built-in ones),
 * this node's id, how its async service runs, the shared secret tests may sign HS256 tokens with (null: none accepted),
 * and an org's {@code $metadata} whose tables are served too (null: none).
 */
public record RuntimeConfig(DatabaseConfig database, List<Path> metadataDirectories, Path fixturesDirectory,
                            String nodeId, dev.dve.engine.async.AsyncConfig async, String tokenTestSecret,
                            dev.dve.metadata.csdl.ImportedMetadata importedMetadata) {

    public RuntimeConfig(DatabaseConfig database, List<Path> metadataDirectories, Path fixturesDirectory,
                         String nodeId, dev.dve.engine.async.AsyncConfig async, String tokenTestSecret) {
        this(database, metadataDirectories, fixturesDirectory, nodeId, async, tokenTestSecret, null);
    }
}
