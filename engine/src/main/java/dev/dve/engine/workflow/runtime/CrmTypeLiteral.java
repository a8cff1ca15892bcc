package dev.dve.engine.workflow.runtime;

import dev.dve.engine.workflow.xaml.XamlException;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code CreateCrmType}: the designer's typed literals, with its HTML-encoded text decoded. */
final class CrmTypeLiteral {
    private static final Pattern ENTITY = Pattern.compile("&#(x?[0-9a-fA-F]+);|&(lt|gt|amp|quot|apos|nbsp);");

    /** An enum constant of the designer (WorkflowPropertyType.String, OperationStatus.Canceled …). */
    record Token(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    private CrmTypeLiteral() {
    }

    static Object create(List<Object> params) {
        if (params.isEmpty() || !(params.get(0) instanceof Token type)) {
            throw new XamlException("CreateCrmType needs a WorkflowPropertyType");
        }
        Object raw = params.size() > 1 ? params.get(1) : null;
        String text = raw == null ? null : decode(raw.toString());
        switch (type.name()) {
            case "String":
                return text;
            case "Boolean":
                return text == null ? null : CrmValues.bool(text);
            case "Integer":
                return text == null || text.isBlank() ? null : Integer.valueOf(text.trim());
            case "Money":
            case "Decimal":
                return text == null || text.isBlank() ? null : new BigDecimal(text.trim());
            case "Float":
            case "Double":
                return text == null || text.isBlank() ? null : Double.valueOf(text.trim());
            case "OptionSetValue":
                return text == null || text.isBlank() ? null : Integer.valueOf(text.trim());
            case "Guid":
                return text == null || text.isBlank() ? null : UUID.fromString(text.trim());
            case "DateTime":
                return text == null || text.isBlank() ? null : dev.dve.payload.PayloadReader.parseDateTime(text.trim());
            case "EntityReference": {
                Object id = params.size() > 3 ? params.get(3) : null;
                if (id == null) {
                    return null;
                }
                UUID uuid = id instanceof UUID u ? u : UUID.fromString(id.toString().trim());
                return new EntityReference(text, uuid, params.size() > 2 && params.get(2) != null ? decode(params.get(2).toString()) : null);
            }
            case "PartyList": {
                List<EntityReference> out = new ArrayList<>();
                for (Object o : params.subList(1, params.size())) {
                    if (o instanceof EntityReference r) {
                        out.add(r);
                    } else if (o instanceof List<?> l) {
                        l.stream().filter(EntityReference.class::isInstance).map(EntityReference.class::cast).forEach(out::add);
                    }
                }
                return out;
            }
            default:
                throw new XamlException("CreateCrmType does not support " + type.name());
        }
    }

    /** The designer HTML-encodes literal text (commas as &#44;); this undoes it. */
    static String decode(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String rep;
            if (m.group(1) != null) {
                String n = m.group(1);
                int cp = n.startsWith("x") || n.startsWith("X") ? Integer.parseInt(n.substring(1), 16) : Integer.parseInt(n);
                rep = new String(Character.toChars(cp));
            } else {
                rep = switch (m.group(2)) {
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "amp" -> "&";
                    case "quot" -> "\"";
                    case "apos" -> "'";
                    default -> "\u00a0";
                };
            }
            m.appendReplacement(b, Matcher.quoteReplacement(rep));
        }
        m.appendTail(b);
        return b.toString();
    }
}
