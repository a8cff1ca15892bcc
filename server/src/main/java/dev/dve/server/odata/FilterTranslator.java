package dev.dve.server.odata;

import dev.dve.engine.query.QueryFunctions;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.payload.PayloadReader;
import dev.dve.query.ColumnComparison;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.Criterion;
import dev.dve.query.FilterExpression;
import dev.dve.query.LogicalOperator;
import dev.dve.query.Not;
import org.apache.olingo.commons.api.edm.EdmEnumType;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.server.api.uri.UriInfoResource;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResourceFunction;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.expression.BinaryOperatorKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Expression;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitor;
import org.apache.olingo.server.api.uri.queryoption.expression.Literal;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.apache.olingo.server.api.uri.queryoption.expression.MethodKind;
import org.apache.olingo.server.api.uri.queryoption.expression.UnaryOperatorKind;

import java.math.BigDecimal;
import java.util.List;

/**
 * Translates an Olingo {@code $filter} expression tree into the query model. Only the shapes Dataverse accepts
 * become criteria; anything else is a query error, never a filter applied in memory.
 */
final class FilterTranslator implements ExpressionVisitor<Object> {
    /**
     * How deep an expression tree may be, as Dataverse's OData parser counts it (its recursion limit, 800): every
     * operator is a level, so a chain of N {@code and}s is N deep. Deeper trees would also overflow the stack of
     * Olingo's visitor, which descends recursively.
     */
    static final int MAX_DEPTH = 800;
    /**
     * Lookup hops plus nested lambdas in one condition: each is a nested subquery, as a link-entity is a join, and
     * Dataverse allows 15 link-entities in a query. The SQL aliases of nested subqueries grow by a letter per level.
     */
    static final int MAX_LINKS = 15;
    private final EntityMetadata entity;
    private final UriInfoResource uri;
    private final QueryFunctions.Context context;
    private final java.util.Set<Object> functionCriteria = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** The and/or criteria this translator built, which a longer chain of the same operator extends in place. */
    private final java.util.Set<Object> chains = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private final dev.dve.metadata.MetadataCatalog catalog;
    /** How many subqueries (lookup hops, lambdas) this translator's conditions are nested in. */
    private final int links;

    FilterTranslator(EntityMetadata entity, UriInfoResource uri, QueryFunctions.Context context, dev.dve.metadata.MetadataCatalog catalog) {
        this(entity, uri, context, catalog, 0);
    }

    private FilterTranslator(EntityMetadata entity, UriInfoResource uri, QueryFunctions.Context context, dev.dve.metadata.MetadataCatalog catalog,
                             int links) {
        this.entity = entity;
        this.uri = uri;
        this.context = context;
        this.catalog = catalog;
        this.links = links;
    }

    /** An attribute of the row being filtered. */
    record AttributeOperand(AttributeMetadata attribute) {
    }

    /** A property reached through lookups ({@code primarycontactid/fullname}): the hops, then the property. */
    record PathOperand(List<dev.dve.metadata.OneToManyRelationship> hops, AttributeMetadata leaf) {
    }

    /** A literal as written in the URL, with the EDM type Olingo gave it (null for aliases and null). */
    record LiteralOperand(String text, String edmType) {
        boolean isNull() {
            return "null".equals(text) && edmType == null;
        }
    }

    Criterion translate(Expression e) {
        if (links == 0 && depth(e, 1) > MAX_DEPTH) {
            throw DataverseFault.query("The $filter expression is nested more than " + MAX_DEPTH + " levels deep: The recursion limit has been exceeded.");
        }
        try {
            Object r = e.accept(this);
            if (r instanceof Criterion c) {
                return c;
            }
            if (r instanceof AttributeOperand a && a.attribute().type() == dev.dve.metadata.AttributeType.BOOLEAN) {
                return Condition.of(a.attribute().logicalName(), ConditionOperator.EQUAL, true);
            }
            throw DataverseFault.query("The $filter expression must evaluate to a boolean value.");
        } catch (DataverseFault f) {
            throw f;
        } catch (Exception ex) {
            throw DataverseFault.query("Invalid $filter expression: " + ex.getMessage());
        }
    }

    @Override
    public Object visitBinaryOperator(BinaryOperatorKind op, Object left, Object right) {
        switch (op) {
            case AND:
            case OR:
                return chain(op == BinaryOperatorKind.AND ? LogicalOperator.AND : LogicalOperator.OR, criterion(left), criterion(right));
            case EQ:
            case NE:
            case GT:
            case GE:
            case LT:
            case LE:
                return comparison(op, left, right);
            default:
                throw DataverseFault.query("The binary operator '" + op.toString().toLowerCase() + "' is not supported in $filter.");
        }
    }

    /**
     * {@code a and b and c} as one filter of three conditions rather than filters nested two deep: Olingo builds a
     * chain as a left-deep tree, and nested filters become nested parentheses that the database parses recursively.
     */
    private FilterExpression chain(LogicalOperator op, Criterion left, Criterion right) {
        FilterExpression out = left instanceof FilterExpression f && f.operator() == op && chains.contains(f) ? f
                : new FilterExpression(op, List.of(left));
        if (right instanceof FilterExpression f && f.operator() == op && chains.contains(f)) {
            f.children().forEach(out::add);
        } else {
            out.add(right);
        }
        chains.add(out);
        return out;
    }

    /** The depth of an expression tree, counted no further than one level past {@link #MAX_DEPTH}. */
    private static int depth(Expression e, int level) {
        int deepest = level;
        if (level > MAX_DEPTH) {
            return deepest;
        }
        for (Expression child : children(e)) {
            deepest = Math.max(deepest, depth(child, level + 1));
            if (deepest > MAX_DEPTH) {
                break;
            }
        }
        return deepest;
    }

    private static List<Expression> children(Expression e) {
        List<Expression> out = new java.util.ArrayList<>();
        if (e instanceof org.apache.olingo.server.api.uri.queryoption.expression.Binary b) {
            out.add(b.getLeftOperand());
            if (b.getRightOperand() != null) {
                out.add(b.getRightOperand());
            }
            if (b.getExpressions() != null) {
                out.addAll(b.getExpressions());
            }
        } else if (e instanceof org.apache.olingo.server.api.uri.queryoption.expression.Unary u) {
            out.add(u.getOperand());
        } else if (e instanceof org.apache.olingo.server.api.uri.queryoption.expression.Method m) {
            out.addAll(m.getParameters());
        } else if (e instanceof Member m && m.getResourcePath() != null) {
            for (UriResource part : m.getResourcePath().getUriResourceParts()) {
                if (part instanceof org.apache.olingo.server.api.uri.UriResourceLambdaAny any && any.getExpression() != null) {
                    out.add(any.getExpression());
                } else if (part instanceof org.apache.olingo.server.api.uri.UriResourceLambdaAll all && all.getExpression() != null) {
                    out.add(all.getExpression());
                }
            }
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    private Criterion comparison(BinaryOperatorKind op, Object left, Object right) {
        if (left instanceof LiteralOperand && right instanceof PathOperand) {
            return comparison(flip(op), right, left);
        }
        if (left instanceof PathOperand p) {
            return throughPath(p, comparison(op, new AttributeOperand(p.leaf()), right));
        }
        ConditionOperator operator = operator(op);
        if (left instanceof AttributeOperand a && right instanceof AttributeOperand b) {
            if (!a.attribute().type().comparableWith(b.attribute().type()) || a.attribute().type() == dev.dve.metadata.AttributeType.MULTISELECTPICKLIST) {
                throw DataverseFault.query("The attributes '" + a.attribute().logicalName() + "' and '" + b.attribute().logicalName()
                        + "' cannot be compared: their types differ.");
            }
            return new ColumnComparison(a.attribute().logicalName(), operator, b.attribute().logicalName());
        }
        if (left instanceof LiteralOperand && right instanceof AttributeOperand) {
            return comparison(flip(op), right, left);
        }
        if (left instanceof AttributeOperand a && right instanceof LiteralOperand l) {
            if (l.isNull()) {
                if (op != BinaryOperatorKind.EQ && op != BinaryOperatorKind.NE) {
                    throw DataverseFault.query("The operator '" + op.toString().toLowerCase() + "' cannot compare with null.");
                }
                return Condition.of(a.attribute().logicalName(), op == BinaryOperatorKind.EQ ? ConditionOperator.NULL : ConditionOperator.NOT_NULL);
            }
            return Condition.of(a.attribute().logicalName(), operator, convert(a.attribute(), l));
        }
        throw DataverseFault.query("A comparison in $filter needs a property on at least one side.");
    }

    private static BinaryOperatorKind flip(BinaryOperatorKind op) {
        return switch (op) {
            case GT -> BinaryOperatorKind.LT;
            case GE -> BinaryOperatorKind.LE;
            case LT -> BinaryOperatorKind.GT;
            case LE -> BinaryOperatorKind.GE;
            default -> op;
        };
    }

    private static ConditionOperator operator(BinaryOperatorKind op) {
        return switch (op) {
            case EQ -> ConditionOperator.EQUAL;
            case NE -> ConditionOperator.NOT_EQUAL;
            case GT -> ConditionOperator.GREATER_THAN;
            case GE -> ConditionOperator.GREATER_EQUAL;
            case LT -> ConditionOperator.LESS_THAN;
            case LE -> ConditionOperator.LESS_EQUAL;
            default -> throw DataverseFault.query("Unsupported operator " + op);
        };
    }

    private Criterion criterion(Object o) {
        if (o instanceof Criterion c) {
            return c;
        }
        if (o instanceof AttributeOperand a && a.attribute().type() == dev.dve.metadata.AttributeType.BOOLEAN) {
            return Condition.of(a.attribute().logicalName(), ConditionOperator.EQUAL, true);
        }
        throw DataverseFault.query("The operands of 'and', 'or' and 'not' must be boolean expressions.");
    }

    @Override
    public Object visitUnaryOperator(UnaryOperatorKind op, Object operand) {
        if (op == UnaryOperatorKind.NOT) {
            if (functionCriteria.contains(operand)) {
                throw DataverseFault.query("Not operator along with the Custom Named Condition operators is not allowed");
            }
            return new Not(criterion(operand));
        }
        throw DataverseFault.query("The unary operator '" + op + "' is not supported in $filter.");
    }

    @Override
    public Object visitMethodCall(MethodKind method, List<Object> params) {
        ConditionOperator op = switch (method) {
            case CONTAINS -> ConditionOperator.LIKE;
            case STARTSWITH -> ConditionOperator.BEGINS_WITH;
            case ENDSWITH -> ConditionOperator.ENDS_WITH;
            default -> throw DataverseFault.query("The function '" + method.toString().toLowerCase() + "' is not supported in $filter.");
        };
        if (params.size() == 2 && params.get(0) instanceof PathOperand p) {
            return throughPath(p, (Criterion) visitMethodCall(method, List.of(new AttributeOperand(p.leaf()), params.get(1))));
        }
        if (params.size() != 2 || !(params.get(0) instanceof AttributeOperand a) || !(params.get(1) instanceof LiteralOperand l)) {
            throw DataverseFault.query("The function '" + method.toString().toLowerCase() + "' needs a property and a string literal.");
        }
        if (!a.attribute().type().isText()) {
            throw DataverseFault.query("The function '" + method.toString().toLowerCase() + "' applies to string properties only.");
        }
        String value = (String) convert(a.attribute(), l);
        return Condition.of(a.attribute().logicalName(), op, op == ConditionOperator.LIKE ? "%" + value + "%" : value);
    }

    @Override
    public Object visitLambdaExpression(String lambdaFunction, String lambdaVariable, Expression expression) {
        throw DataverseFault.query("Lambda operators are not supported yet.");
    }

    @Override
    public Object visitLiteral(Literal literal) {
        EdmType t = literal.getType();
        return new LiteralOperand(literal.getText(), t == null ? null : t.getFullQualifiedName().getFullQualifiedNameAsString());
    }

    /** Wraps a condition on the last entity of a lookup path into nested subqueries back to this entity. */
    private Criterion throughPath(PathOperand p, Criterion leafCondition) {
        Criterion c = leafCondition;
        for (int i = p.hops().size() - 1; i >= 0; i--) {
            dev.dve.metadata.OneToManyRelationship hop = p.hops().get(i);
            c = new dev.dve.query.SubqueryCondition(hop.referencingAttribute(), false, hop.referencedEntity(),
                    hopKey(hop), c);
        }
        return c;
    }

    private String hopKey(dev.dve.metadata.OneToManyRelationship hop) {
        return catalog.require(hop.referencedEntity()).primaryIdAttribute();
    }

    @Override
    public Object visitMember(Member member) {
        List<UriResource> parts = new java.util.ArrayList<>(member.getResourcePath().getUriResourceParts());
        if (!parts.isEmpty() && parts.get(0) instanceof org.apache.olingo.server.api.uri.UriResourceLambdaVariable) {
            parts.remove(0);
        }
        if (parts.size() == 1 && parts.get(0) instanceof UriResourceFunction f) {
            return queryFunction(f);
        }
        if (parts.size() == 2 && parts.get(0) instanceof org.apache.olingo.server.api.uri.UriResourceNavigation nav && nav.getProperty().isCollection()
                && (parts.get(1) instanceof org.apache.olingo.server.api.uri.UriResourceLambdaAny
                || parts.get(1) instanceof org.apache.olingo.server.api.uri.UriResourceLambdaAll)) {
            return lambda(nav, parts.get(1));
        }
        EntityMetadata current = entity;
        List<dev.dve.metadata.OneToManyRelationship> hops = new java.util.ArrayList<>();
        for (int i = 0; i < parts.size() - 1; i++) {
            if (!(parts.get(i) instanceof org.apache.olingo.server.api.uri.UriResourceNavigation nav) || nav.getProperty().isCollection()) {
                throw DataverseFault.query("Only lookup navigation properties can lead to a property in $filter.");
            }
            EntityMetadata from = current;
            String navName = nav.getProperty().getName();
            dev.dve.metadata.OneToManyRelationship r = catalog.manyToOne(from.logicalName()).stream()
                    .filter(x -> x.referencingNavigation().equals(navName)).findFirst()
                    .orElseThrow(() -> DataverseFault.query("Could not find a navigation property named '" + navName + "'."));
            hops.add(r);
            if (links + hops.size() > MAX_LINKS) {
                throw DataverseFault.query("The lookup path in $filter has more than " + MAX_LINKS
                        + " navigation properties: Number of link entities in query exceeded maximum limit.");
            }
            current = catalog.require(r.referencedEntity());
        }
        if (parts.isEmpty() || !(parts.get(parts.size() - 1) instanceof UriResourcePrimitiveProperty p)) {
            throw DataverseFault.query("Only properties of '" + entity.logicalName() + "' can be used in $filter here.");
        }
        String name = p.getProperty().getName();
        EntityMetadata owner = current;
        AttributeMetadata leaf = owner.byWebApiName(name).orElseThrow(() -> DataverseFault.query(
                "Could not find a property named '" + name + "' on type 'Microsoft.Dynamics.CRM." + owner.logicalName() + "'."));
        return hops.isEmpty() ? new AttributeOperand(leaf) : new PathOperand(hops, leaf);
    }

    /** {@code Account_Tasks/any(t: …)} and {@code …/all(t: …)} as subqueries on the related rows. */
    private Criterion lambda(org.apache.olingo.server.api.uri.UriResourceNavigation nav, UriResource lambda) {
        dev.dve.metadata.OneToManyRelationship r = catalog.relationship(nav.getProperty().getName()).orElseThrow();
        EntityMetadata child = catalog.require(r.referencingEntity());
        Expression body = lambda instanceof org.apache.olingo.server.api.uri.UriResourceLambdaAny any ? any.getExpression()
                : ((org.apache.olingo.server.api.uri.UriResourceLambdaAll) lambda).getExpression();
        if (links + 1 > MAX_LINKS) {
            throw DataverseFault.query("The lambda operators in $filter are nested more than " + MAX_LINKS
                    + " levels deep: Number of link entities in query exceeded maximum limit.");
        }
        Criterion inner = body == null ? new FilterExpression(LogicalOperator.AND, List.of())
                : new FilterTranslator(child, uri, context, catalog, links + 1).translate(body);
        boolean all = lambda instanceof org.apache.olingo.server.api.uri.UriResourceLambdaAll;
        return new dev.dve.query.SubqueryCondition(entity.primaryIdAttribute(), all, child.logicalName(), r.referencingAttribute(),
                all ? new Not(inner) : inner);
    }


    /** {@code Microsoft.Dynamics.CRM.<Function>(PropertyName='col', PropertyValue=…|PropertyValues=[…])}. */
    private Criterion queryFunction(UriResourceFunction f) {
        String name = f.getFunction().getName();
        if (!QueryFunctions.FUNCTIONS.containsKey(name)) {
            throw DataverseFault.query("The function Microsoft.Dynamics.CRM." + name + " cannot be used in $filter.");
        }
        String property = null;
        List<String> values = new java.util.ArrayList<>();
        for (UriParameter p : f.getParameters()) {
            String text = p.getAlias() != null ? uri.getValueForAlias(p.getAlias()) : p.getText();
            if (text == null) {
                throw DataverseFault.query("The parameter " + p.getName() + " of " + name + " has no value.");
            }
            switch (p.getName()) {
                case "PropertyName" -> property = unquote(text);
                case "PropertyValue" -> values.add(unquote(text));
                case "PropertyValues" -> values.addAll(array(text));
                case "PropertyValue1" -> values.add(0, unquote(text));
                case "PropertyValue2" -> values.add(unquote(text));
                default -> throw DataverseFault.query("Unknown parameter " + p.getName() + " of " + name + ".");
            }
        }
        String column = property;
        AttributeMetadata a = entity.byWebApiName(column == null ? "" : column).or(() -> entity.attribute(column == null ? "" : column))
                .orElseThrow(() -> DataverseFault.query("'" + entity.logicalName() + "' entity doesn't contain attribute with Name = '" + column + "'."));
        Criterion c = QueryFunctions.condition(name, entity, a, values, context);
        functionCriteria.add(c);
        return c;
    }

    private static String unquote(String text) {
        String t = text.trim();
        if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
            return t.substring(1, t.length() - 1).replace("''", "'");
        }
        return t;
    }

    private static List<String> array(String text) {
        String t = text.trim();
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(t.contains("\"") ? t : t.replace('\'', '"'));
            List<String> out = new java.util.ArrayList<>();
            n.forEach(v -> out.add(v.asText()));
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            throw DataverseFault.query("PropertyValues must be an array such as [\"a\",\"b\"].");
        }
    }

    @Override
    public Object visitAlias(String aliasName) {
        String value = uri.getValueForAlias(aliasName);
        return new LiteralOperand(value == null ? "null" : value, null);
    }

    @Override
    public Object visitTypeLiteral(EdmType type) {
        throw DataverseFault.query("Type literals are not supported in $filter.");
    }

    @Override
    public Object visitLambdaReference(String variableName) {
        throw DataverseFault.query("Lambda operators are not supported yet.");
    }

    @Override
    public Object visitEnum(EdmEnumType type, List<String> enumValues) {
        throw DataverseFault.query("Enumeration literals are not supported in $filter.");
    }

    @Override
    public Object visitBinaryOperator(BinaryOperatorKind op, Object left, List<Object> right) {
        throw DataverseFault.query("The 'in' operator is not supported; use Microsoft.Dynamics.CRM.In.");
    }

    /** Converts a literal to the Java type of the attribute it is compared with. */
    static Object convert(AttributeMetadata a, LiteralOperand l) {
        String text = l.text();
        boolean quoted = text.length() >= 2 && text.startsWith("'") && text.endsWith("'");
        String unquoted = quoted ? text.substring(1, text.length() - 1).replace("''", "'") : text;
        try {
            return switch (a.type()) {
                case STRING, MEMO, ENTITYNAME, MULTISELECTPICKLIST -> {
                    if (!quoted) {
                        throw new IllegalArgumentException();
                    }
                    yield unquoted;
                }
                case INTEGER, PICKLIST, STATE, STATUS -> Integer.parseInt(unquoted);
                case BIGINT -> Long.parseLong(unquoted);
                case DECIMAL, MONEY -> new BigDecimal(stripSuffix(unquoted));
                case DOUBLE -> Double.parseDouble(stripSuffix(unquoted));
                case BOOLEAN -> switch (unquoted) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException();
                };
                case DATETIME -> PayloadReader.parseDateTime(unquoted);
                case UNIQUEIDENTIFIER, LOOKUP, OWNER, CUSTOMER -> PayloadReader.parseGuid(unquoted);
            };
        } catch (RuntimeException e) {
            throw DataverseFault.query("A binary operator with incompatible types was detected. Found operand types '"
                    + a.edmType() + "' and '" + (l.edmType() == null ? "Edm.String" : l.edmType()) + "' for operator kind 'Equal'.");
        }
    }

    private static String stripSuffix(String s) {
        return s.endsWith("M") || s.endsWith("m") || s.endsWith("d") || s.endsWith("D") || s.endsWith("f") ? s.substring(0, s.length() - 1) : s;
    }
}
