package dev.dve.metadata;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The actions on a referenced row that reach the referencing rows of a one-to-many relationship (Dataverse's
 * CascadeConfiguration). Read from JSON as {@code {"delete": "Cascade", "assign": "Cascade", …}}; an action not
 * named is {@code NoCascade}.
 */
public record CascadeConfiguration(CascadeType assign, CascadeType delete, CascadeType merge, CascadeType reparent,
                                   CascadeType share, CascadeType unshare) {
    /** Nothing cascades: what a relationship has when no data file says otherwise. */
    public static final CascadeConfiguration NONE = new CascadeConfiguration(CascadeType.NO_CASCADE, CascadeType.NO_CASCADE,
            CascadeType.NO_CASCADE, CascadeType.NO_CASCADE, CascadeType.NO_CASCADE, CascadeType.NO_CASCADE);

    private static final Set<CascadeType> DELETE_VALUES = EnumSet.of(CascadeType.CASCADE, CascadeType.NO_CASCADE,
            CascadeType.REMOVE_LINK, CascadeType.RESTRICT);
    private static final Set<CascadeType> OTHER_VALUES = EnumSet.of(CascadeType.CASCADE, CascadeType.NO_CASCADE,
            CascadeType.ACTIVE, CascadeType.USER_OWNED);
    private static final Set<CascadeType> MERGE_VALUES = EnumSet.of(CascadeType.CASCADE, CascadeType.NO_CASCADE);

    /** Reads a configuration object; {@code where} names it in errors. */
    public static CascadeConfiguration parse(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new MetadataException(where + ": a cascade configuration is an object of action → value");
        }
        CascadeType[] v = {CascadeType.NO_CASCADE, CascadeType.NO_CASCADE, CascadeType.NO_CASCADE,
                CascadeType.NO_CASCADE, CascadeType.NO_CASCADE, CascadeType.NO_CASCADE};
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            int i;
            Set<CascadeType> allowed;
            switch (f.getKey().toLowerCase(java.util.Locale.ROOT)) {
                case "assign" -> { i = 0; allowed = OTHER_VALUES; }
                case "delete" -> { i = 1; allowed = DELETE_VALUES; }
                case "merge" -> { i = 2; allowed = MERGE_VALUES; }
                case "reparent" -> { i = 3; allowed = OTHER_VALUES; }
                case "share" -> { i = 4; allowed = OTHER_VALUES; }
                case "unshare" -> { i = 5; allowed = OTHER_VALUES; }
                default -> throw new MetadataException(where + ": unknown cascade action '" + f.getKey() + "'");
            }
            CascadeType t;
            try {
                t = CascadeType.parse(f.getValue().asText());
            } catch (IllegalArgumentException e) {
                throw new MetadataException(where + ": unknown cascade value '" + f.getValue().asText() + "'");
            }
            if (!allowed.contains(t)) {
                throw new MetadataException(where + ": " + f.getKey() + " cannot be " + t.label());
            }
            v[i] = t;
        }
        return new CascadeConfiguration(v[0], v[1], v[2], v[3], v[4], v[5]);
    }
}
