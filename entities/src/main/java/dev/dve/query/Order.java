package dev.dve.query;

/** One sort key. */
public record Order(String attribute, boolean descending) {
}
