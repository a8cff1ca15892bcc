package dev.dve.engine;

import dev.dve.store.DatabaseConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * How to assemble an organization: its database, extra entity data files, fixtures (null = the built-in ones),
 * this node's id, how its async service runs, and the shared secret tests may sign HS256 tokens with (null: none accepted).
 */
public record RuntimeConfig(DatabaseConfig database, List<Path> metadataDirectories, Path fixturesDirectory,
                            String nodeId, dev.dve.engine.async.AsyncConfig async, String tokenTestSecret) {
}
