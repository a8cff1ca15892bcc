package dev.dve.query;

/** Negates a criterion. */
public record Not(Criterion inner) implements Criterion {
}
