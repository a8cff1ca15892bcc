package dev.dve.metadata;

/**
 * One value of an option set. For a state option {@code defaultStatus} names its default status reason;
 * for a status option {@code state} names the state it belongs to. Both are null otherwise.
 */
public record OptionMetadata(int value, String label, Integer state, Integer defaultStatus) {
}
