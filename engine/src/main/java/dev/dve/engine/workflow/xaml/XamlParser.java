package dev.dve.engine.workflow.xaml;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the process designer's XAML (see {@code shared/spec/xaml.md}) into the step model with a real XML
 * parser. Elements are matched by local name and designer activities by the class name of their
 * AssemblyQualifiedName, so assembly versions do not matter. An activity the engine does not know is an error
 * naming it.
 */
public final class XamlParser {
    private static final String PLATFORM = "Microsoft.Crm.Workflow.Activities.";

    private XamlParser() {
    }

    public static WorkflowDefinition parse(String xaml) {
        if (xaml == null || xaml.isBlank()) {
            throw new XamlException("XAML for workflow is NULL or Empty");
        }
        String text = xaml.strip();
        if (text.startsWith("<?xml")) {
            text = text.substring(text.indexOf("?>") + 2);
        }
        Document doc;
        try {
            doc = dev.dve.xml.SafeXml.parse(text, true);
        } catch (Exception e) {
            throw new XamlException("Xaml representing workflow cannot be deserialized into a DynamicActivity: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"Activity".equals(local(root))) {
            throw new XamlException("The XAML root must be an Activity, not " + local(root));
        }
        List<WorkflowDefinition.Argument> arguments = new ArrayList<>();
        for (Element members : children(root, "Members")) {
            for (Element p : children(members, "Property")) {
                String name = p.getAttribute("Name");
                if (name.equals("InputEntities") || name.equals("CreatedEntities")) {
                    continue;
                }
                String type = p.getAttribute("Type");
                boolean output = type.startsWith("OutArgument");
                if (type.contains("(") && type.lastIndexOf(')') < type.indexOf('(')) {
                    throw new XamlException("The type '" + type + "' of argument '" + name + "' is not closed");
                }
                String inner = type.contains("(") ? type.substring(type.indexOf('(') + 1, type.lastIndexOf(')')) : type;
                boolean required = false;
                boolean target = false;
                for (Element attrs : children(p, "Property.Attributes")) {
                    for (Element a : elements(attrs)) {
                        String v = a.getAttribute("Value");
                        switch (local(a)) {
                            case "ArgumentRequiredAttribute" -> required = "True".equalsIgnoreCase(v);
                            case "ArgumentTargetAttribute" -> target = "True".equalsIgnoreCase(v);
                            case "ArgumentDirectionAttribute" -> output = output || "Output".equalsIgnoreCase(v);
                            default -> {
                            }
                        }
                    }
                }
                arguments.add(new WorkflowDefinition.Argument(name, inner, output, required, target || name.equals("Target")));
            }
        }
        Element workflow = first(root, "Workflow");
        if (workflow == null) {
            return new WorkflowDefinition(new Step.Block("Workflow", List.of(), List.of()), arguments);
        }
        return new WorkflowDefinition(block(workflow, "Workflow"), arguments);
    }

    private static Step.Block block(Element e, String displayName) {
        List<Step.Variable> vars = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (Element c : elements(e)) {
            String name = local(c);
            if (name.endsWith(".Variables")) {
                for (Element v : elements(c)) {
                    vars.add(variable(v));
                }
            } else if (!name.contains(".")) {
                steps.add(step(c));
            }
        }
        return new Step.Block(displayName, vars, steps);
    }

    private static Step.Variable variable(Element v) {
        Expr def = ExpressionParser.parseValue(v.hasAttribute("Default") ? v.getAttribute("Default") : null);
        for (Element d : elements(v)) {
            if (local(d).endsWith(".Default")) {
                def = literalElement(d);
            }
        }
        return new Step.Variable(v.getAttribute("Name"), def);
    }

    /** A literal written as elements: ReferenceLiteral, Literal with an XrmTimeSpan, or x:Null. */
    private static Expr literalElement(Element holder) {
        for (Element c : elements(holder)) {
            String n = local(c);
            if (n.equals("Null")) {
                return new Expr.Literal(null);
            }
            if (n.equals("XrmTimeSpan")) {
                return new Expr.Literal(new XrmTimeSpan(intAttr(c, "Years"), intAttr(c, "Months"), intAttr(c, "Days"), intAttr(c, "Hours"), intAttr(c, "Minutes")));
            }
            if (n.equals("OptionSetValue")) {
                return new Expr.Literal((long) intAttr(c, "Value"));
            }
            if (n.equals("ReferenceLiteral") || n.equals("Literal") || n.equals("InArgument")) {
                if (c.hasAttribute("Value")) {
                    return new Expr.Literal(c.getAttribute("Value"));
                }
                return literalElement(c);
            }
        }
        String text = holder.getTextContent().trim();
        return text.isEmpty() ? new Expr.Literal(null) : ExpressionParser.parseValue(text);
    }

    private static int intAttr(Element e, String name) {
        String v = e.getAttribute(name);
        return v.isEmpty() ? 0 : wholeNumber(v, name + " of " + local(e));
    }

    private static int wholeNumber(String v, String what) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new XamlException("'" + v + "' is not a whole number (" + what + ")");
        }
    }

    private static Step step(Element e) {
        String name = local(e);
        String display = e.getAttribute("DisplayName");
        return switch (name) {
            case "Sequence" -> block(e, display);
            case "Assign" -> new Step.Assign(valueOf(e, "To"), valueOf(e, "Value"));
            case "GetEntityProperty" -> new Step.GetEntityProperty(e.getAttribute("Attribute"), valueOf(e, "Entity"),
                    e.getAttribute("EntityName"), valueOf(e, "Value"), targetType(e));
            case "SetEntityProperty" -> new Step.SetEntityProperty(e.getAttribute("Attribute"), valueOf(e, "Entity"),
                    e.getAttribute("EntityName"), valueOf(e, "Value"), targetType(e));
            case "UpdateEntity" -> new Step.UpdateEntity(display, valueOf(e, "Entity"), e.getAttribute("EntityName"));
            case "CreateEntity" -> new Step.CreateEntity(display, valueOf(e, "Entity"), e.getAttribute("EntityName"));
            case "SendEmail" -> new Step.SendEmail(display, valueOf(e, "Entity"));
            case "RetrieveEntity" -> new Step.RetrieveEntity(valueOf(e, "Entity"), valueOf(e, "EntityId"), e.getAttribute("EntityName"));
            case "AssignEntity" -> new Step.AssignEntity(display, valueOf(e, "Entity"), e.getAttribute("EntityName"), valueOf(e, "Owner"));
            case "SetState" -> new Step.SetState(display, valueOf(e, "Entity"), e.getAttribute("EntityName"),
                    optionValue(e, "SetState.State"), optionValue(e, "SetState.Status"));
            case "StartChildWorkflow" -> new Step.StartChildWorkflow(display, valueOf(e, "EntityId"), e.getAttribute("EntityName"),
                    e.getAttribute("WorkflowId"));
            case "TerminateWorkflow" -> new Step.Terminate(display, !e.getAttribute("Exception").contains("Succeeded"), valueOf(e, "Reason"));
            case "Postpone" -> new Step.Postpone(valueOf(e, "PostponeUntil"));
            case "Persist" -> new Step.Persist();
            case "If" -> new Step.If(valueOf(e, "Condition"), firstStep(e, "If.Then"), firstStep(e, "If.Else"));
            case "ActivityReference" -> activityReference(e);
            default -> throw new XamlException("This workflow cannot be created, updated or published because it's referring unsupported workflow step '"
                    + name + (display.isEmpty() ? "" : "' (" + display + ")") + ".");
        };
    }

    private static Step firstStep(Element e, String property) {
        for (Element c : elements(e)) {
            if (local(c).equals(property)) {
                for (Element s : elements(c)) {
                    return local(s).equals("Null") ? null : step(s);
                }
            }
        }
        return null;
    }

    private static int optionValue(Element e, String property) {
        for (Element c : elements(e)) {
            if (local(c).equals(property)) {
                Expr v = literalElement(c);
                if (v instanceof Expr.Literal l && l.value() != null) {
                    return wholeNumber(l.value().toString(), property);
                }
            }
        }
        throw new XamlException("SetState needs " + property);
    }

    private static String targetType(Element e) {
        for (Element c : elements(e)) {
            if (local(c).endsWith(".TargetType")) {
                Expr t = literalElement(c);
                return t instanceof Expr.Literal l && l.value() != null ? l.value().toString() : null;
            }
        }
        return null;
    }

    /** An attribute's value, or the text of a property element of that name ({@code Assign.To} …). */
    private static Expr valueOf(Element e, String attribute) {
        if (e.hasAttribute(attribute)) {
            return ExpressionParser.parseValue(e.getAttribute(attribute));
        }
        for (Element c : elements(e)) {
            if (local(c).equals(local(e) + "." + attribute)) {
                return argument(c);
            }
        }
        return new Expr.Literal(null);
    }

    private static Step activityReference(Element e) {
        String aqn = e.getAttribute("AssemblyQualifiedName");
        String cls = aqn.contains(",") ? aqn.substring(0, aqn.indexOf(',')).trim() : aqn.trim();
        String display = e.getAttribute("DisplayName");
        Map<String, Element> args = keyed(e, "ActivityReference.Arguments");
        Map<String, Element> props = keyed(e, "ActivityReference.Properties");
        if (!cls.startsWith(PLATFORM)) {
            Map<String, Expr> in = new LinkedHashMap<>();
            Map<String, Expr> out = new LinkedHashMap<>();
            args.forEach((k, v) -> (local(v).equals("OutArgument") ? out : in).put(k, argument(v)));
            return new Step.CustomActivity(cls, display, in, out);
        }
        return switch (cls.substring(PLATFORM.length())) {
            case "ConditionSequence" -> new Step.ConditionSequence(display, Boolean.TRUE.equals(literal(argument(args.get("Wait")))),
                    variables(props.get("Variables")), activities(props.get("Activities")));
            case "ConditionBranch" -> new Step.ConditionBranch(display, argument(args.get("Condition")),
                    propertyStep(props.get("Then")), propertyStep(props.get("Else")));
            case "Composite" -> new Step.Block(display, variables(props.get("Variables")), activities(props.get("Activities")));
            case "EvaluateCondition" -> new Step.EvaluateCondition(
                    known(text(args.get("ConditionOperator")), Step.EvaluateCondition.OPERATORS, "Condition operator"), argument(args.get("Operand")),
                    argument(args.get("Parameters")), argument(args.get("Result")));
            case "EvaluateLogicalCondition" -> new Step.EvaluateLogicalCondition(
                    known(text(args.get("LogicalOperator")), Step.EvaluateLogicalCondition.OPERATORS, "Logical operator"),
                    argument(args.get("LeftOperand")), argument(args.get("RightOperand")), argument(args.get("Result")));
            case "EvaluateExpression" -> new Step.EvaluateExpression(
                    known(text(args.get("ExpressionOperator")), Step.EvaluateExpression.OPERATORS, "Expression operator"), argument(args.get("Parameters")),
                    typeArgument(args.get("TargetType")), argument(args.get("Result")));
            case "ConvertCrmXrmTypes" -> new Step.ConvertTypes(argument(args.get("Value")), argument(args.get("Result")));
            default -> throw new XamlException("This workflow cannot be created, updated or published because it's referring unsupported workflow step '"
                    + cls + "'" + (display.isEmpty() ? "" : " (" + display + ")") + ".");
        };
    }

    /** An operator the interpreter evaluates; any other is refused here, at activation, instead of failing each run. */
    private static String known(String operator, java.util.Set<String> supported, String kind) {
        if (operator == null || !supported.contains(operator)) {
            throw new XamlException(kind + " not supported for specified type: " + operator);
        }
        return operator;
    }

    private static Object literal(Expr e) {
        return e instanceof Expr.Literal l ? l.value() : null;
    }

    private static String text(Element arg) {
        if (arg == null || local(arg).equals("Null")) {
            return null;
        }
        return arg.getTextContent().trim();
    }

    private static String typeArgument(Element arg) {
        if (arg == null || local(arg).equals("Null")) {
            return null;
        }
        Expr t = literalElement(arg);
        return t instanceof Expr.Literal l && l.value() != null ? l.value().toString() : null;
    }

    /** An InArgument/OutArgument: its {@code [expression]} text, or a literal. */
    private static Expr argument(Element arg) {
        if (arg == null || local(arg).equals("Null")) {
            return new Expr.Literal(null);
        }
        String text = arg.getTextContent().trim();
        if (!elements(arg).isEmpty() && !text.startsWith("[")) {
            return literalElement(arg);
        }
        return ExpressionParser.parseValue(text);
    }

    private static Step propertyStep(Element p) {
        if (p == null || local(p).equals("Null")) {
            return null;
        }
        return step(p);
    }

    private static List<Step.Variable> variables(Element collection) {
        List<Step.Variable> out = new ArrayList<>();
        if (collection != null) {
            for (Element v : elements(collection)) {
                out.add(variable(v));
            }
        }
        return out;
    }

    private static List<Step> activities(Element collection) {
        List<Step> out = new ArrayList<>();
        if (collection != null) {
            for (Element a : elements(collection)) {
                out.add(step(a));
            }
        }
        return out;
    }

    /** The children of a property element, by their x:Key. */
    private static Map<String, Element> keyed(Element e, String property) {
        Map<String, Element> out = new LinkedHashMap<>();
        for (Element c : elements(e)) {
            if (local(c).equals(property)) {
                for (Element k : elements(c)) {
                    out.put(key(k), k);
                }
            }
        }
        return out;
    }

    private static String key(Element e) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Node a = attrs.item(i);
            if ("Key".equals(a.getLocalName())) {
                return a.getNodeValue();
            }
        }
        return "";
    }

    private static String local(Node n) {
        return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
    }

    private static List<Element> elements(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                out.add(el);
            }
        }
        return out;
    }

    private static List<Element> children(Element e, String localName) {
        return elements(e).stream().filter(c -> local(c).equals(localName)).toList();
    }

    private static Element first(Element e, String localName) {
        List<Element> c = children(e, localName);
        return c.isEmpty() ? null : c.get(0);
    }
}
