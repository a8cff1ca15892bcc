package dev.dve.engine.workflow.xaml;

import java.util.List;

/** A node of the small VB expression language the designer writes between brackets. */
public sealed interface Expr {
    /** A literal: String, Boolean, Long, BigDecimal, or null for {@code Nothing}. */
    record Literal(Object value) implements Expr {
    }

    /** A (possibly dotted) name: a variable, {@code InputEntities}, {@code DateTime.UtcNow}, an enum constant. */
    record Name(String name) implements Expr {
    }

    /** {@code target.member} without arguments. */
    record Member(Expr target, String member) implements Expr {
    }

    /** {@code target(args)}: a dictionary index, a function (IIf, IsNothing, DirectCast) or a method call. */
    record Call(Expr target, List<Expr> args) implements Expr {
    }

    /** {@code New Type(args) { items }}. */
    record New(String type, List<Expr> args, List<Expr> items) implements Expr {
    }

    /** A comparison or arithmetic between two operands. */
    record Binary(String operator, Expr left, Expr right) implements Expr {
    }

    /** {@code Not x}. */
    record Not(Expr operand) implements Expr {
    }
}
