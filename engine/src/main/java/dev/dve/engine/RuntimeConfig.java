package dev.dve.engine;

import dev.dve.store.DatabaseConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * How to assemble an organization: its database, extra entity data files, fixtures (null = the built-in ones),
 * this node's id and worker count, and the shared secret tests may sign HS256 tokens with (null: none accepted).
 */
public record RuntimeConfig(DatabaseConfig database, List<Path> metadataDirectories, Path fixturesDirectory,
                            String nodeId, int workers, String tokenTestSecret) {
}
