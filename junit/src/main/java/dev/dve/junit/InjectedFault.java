package dev.dve.junit;

import java.util.UUID;

/** A fault waiting to happen: {@code remaining} more failing calls, of one workflow's runs or (null) of every one's. */
public record InjectedFault(UUID id, FaultKind kind, int remaining, UUID workflowId) {
}
