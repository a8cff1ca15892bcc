package dev.dve.engine.workflow.xaml;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the VB expressions of designer XAML ({@code [InputEntities("primaryEntity").Id]},
 * {@code [New Object() { a, Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.String, "x" }]},
 * {@code [DateTime.UtcNow >= X.Add(DirectCast(Y, System.DateTime).ToUniversalTime())]} …) by recursive descent.
 * Anything outside that small grammar is an error, never a guess.
 */
public final class ExpressionParser {
    private final String src;
    private int pos;

    private ExpressionParser(String src) {
        this.src = src;
    }

    /** Parses an attribute value: {@code [expr]} is an expression; anything else is a string literal. */
    public static Expr parseValue(String text) {
        if (text == null) {
            return new Expr.Literal(null);
        }
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            return parse(t.substring(1, t.length() - 1));
        }
        if (t.equals("{x:Null}")) {
            return new Expr.Literal(null);
        }
        return new Expr.Literal(text);
    }

    public static Expr parse(String expression) {
        ExpressionParser p = new ExpressionParser(expression);
        Expr e = p.expression();
        p.skipSpace();
        if (p.pos != p.src.length()) {
            throw new XamlException("Unexpected '" + p.src.substring(p.pos) + "' in expression [" + expression + "]");
        }
        return e;
    }

    /** VB precedence, loosest first: Or/OrElse, And/AndAlso, Not, comparisons, then + - &amp;. */
    private Expr expression() {
        Expr left = conjunction();
        while (keyword("OrElse") || keyword("Or")) {
            left = new Expr.Binary("Or", left, conjunction());
        }
        return left;
    }

    private Expr conjunction() {
        Expr left = negation();
        while (keyword("AndAlso") || keyword("And")) {
            left = new Expr.Binary("And", left, negation());
        }
        return left;
    }

    private Expr negation() {
        if (keyword("Not")) {
            return new Expr.Not(negation());
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = additive();
        skipSpace();
        for (String op : new String[]{">=", "<=", "<>", "=", ">", "<"}) {
            if (src.startsWith(op, pos)) {
                pos += op.length();
                return new Expr.Binary(op, left, additive());
            }
        }
        return left;
    }

    private Expr additive() {
        Expr left = postfix();
        while (true) {
            skipSpace();
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '&' || src.charAt(pos) == '-')) {
                String op = String.valueOf(src.charAt(pos++));
                left = new Expr.Binary(op.equals("&") ? "+" : op, left, postfix());
            } else {
                return left;
            }
        }
    }

    private Expr postfix() {
        Expr e = primary();
        while (true) {
            skipSpace();
            if (peek('.')) {
                pos++;
                e = new Expr.Member(e, identifier());
            } else if (peek('(')) {
                pos++;
                e = new Expr.Call(e, arguments(')'));
            } else {
                return e;
            }
        }
    }

    private Expr primary() {
        skipSpace();
        if (pos >= src.length()) {
            throw new XamlException("Expression ends early: [" + src + "]");
        }
        char c = src.charAt(pos);
        if (c == '"') {
            return new Expr.Literal(string());
        }
        if (Character.isDigit(c)) {
            int start = pos;
            while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
                pos++;
            }
            String n = src.substring(start, pos);
            try {
                return new Expr.Literal(n.contains(".") ? (Object) new BigDecimal(n) : (Object) Long.parseLong(n));
            } catch (NumberFormatException e) {
                throw new XamlException("'" + n + "' is not a number in expression [" + src + "]");
            }
        }
        if (c == '(') {
            pos++;
            Expr inner = expression();
            expect(')');
            return inner;
        }
        if (keyword("Not")) {
            return new Expr.Not(postfix());
        }
        if (keyword("New")) {
            String type = qualifiedName();
            List<Expr> args = List.of();
            skipSpace();
            if (peek('(')) {
                pos++;
                skipSpace();
                if (keyword("Of")) {
                    skipTo(')');
                    args = List.of();
                } else {
                    args = arguments(')');
                }
            }
            skipSpace();
            List<Expr> items = List.of();
            if (peek('{')) {
                pos++;
                items = arguments('}');
            }
            return new Expr.New(type, args, items);
        }
        String name = identifier();
        if (name.equalsIgnoreCase("True") || name.equalsIgnoreCase("False")) {
            return new Expr.Literal(Boolean.parseBoolean(name));
        }
        if (name.equalsIgnoreCase("Nothing")) {
            return new Expr.Literal(null);
        }
        return new Expr.Name(name);
    }

    private List<Expr> arguments(char close) {
        List<Expr> out = new ArrayList<>();
        skipSpace();
        if (peek(close)) {
            pos++;
            return out;
        }
        while (true) {
            out.add(expression());
            skipSpace();
            if (peek(',')) {
                pos++;
            } else {
                expect(close);
                return out;
            }
        }
    }

    private String string() {
        StringBuilder b = new StringBuilder();
        pos++;
        while (pos < src.length()) {
            char ch = src.charAt(pos++);
            if (ch == '"') {
                if (pos < src.length() && src.charAt(pos) == '"') {
                    b.append('"');
                    pos++;
                } else {
                    return b.toString();
                }
            } else {
                b.append(ch);
            }
        }
        throw new XamlException("Unterminated string in expression [" + src + "]");
    }

    private String qualifiedName() {
        StringBuilder b = new StringBuilder(identifier());
        while (peek('.')) {
            pos++;
            b.append('.').append(identifier());
        }
        return b.toString();
    }

    private String identifier() {
        skipSpace();
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw new XamlException("Expected a name at '" + src.substring(pos) + "' in [" + src + "]");
        }
        return src.substring(start, pos);
    }

    private boolean keyword(String k) {
        skipSpace();
        if (src.regionMatches(true, pos, k, 0, k.length())) {
            int end = pos + k.length();
            if (end == src.length() || !(Character.isLetterOrDigit(src.charAt(end)) || src.charAt(end) == '_')) {
                pos = end;
                return true;
            }
        }
        return false;
    }

    private void skipTo(char close) {
        int depth = 0;
        while (pos < src.length()) {
            char ch = src.charAt(pos++);
            if (ch == '(') {
                depth++;
            } else if (ch == close) {
                if (depth == 0) {
                    return;
                }
                depth--;
            }
        }
        throw new XamlException("Unbalanced parentheses in [" + src + "]");
    }

    private boolean peek(char ch) {
        skipSpace();
        return pos < src.length() && src.charAt(pos) == ch;
    }

    private void expect(char ch) {
        skipSpace();
        if (pos >= src.length() || src.charAt(pos) != ch) {
            throw new XamlException("Expected '" + ch + "' in expression [" + src + "]");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }
}
