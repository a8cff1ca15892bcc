package dev.dve.engine;

import dev.dve.store.DatabaseConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * How to assemble an organization: its database, extra entity data files, fixtures (null = the built-in ones),
 * and this node's id and worker count.
 */
public record RuntimeConfig(DatabaseConfig database, List<Path> metadataDirectories, Path fixturesDirectory,
                            String nodeId, int workers) {
}
