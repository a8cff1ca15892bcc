package dev.dve.auth.security;

import java.util.HashMap;
import java.util.Map;

/** The privileges a principal holds, each at the deepest depth any of its roles grants. */
public final class PrivilegeSet {
    private final Map<String, PrivilegeDepth> depths;

    public PrivilegeSet(Map<String, PrivilegeDepth> depths) {
        Map<String, PrivilegeDepth> lower = new HashMap<>();
        depths.forEach((k, v) -> lower.merge(k.toLowerCase(java.util.Locale.ROOT), v, (a, b) -> a.mask() >= b.mask() ? a : b));
        this.depths = Map.copyOf(lower);
    }

    /** The depth held, or null when the privilege is not held at all. */
    public PrivilegeDepth depth(String privilegeName) {
        return depths.get(privilegeName.toLowerCase(java.util.Locale.ROOT));
    }

    public boolean has(String privilegeName) {
        return depth(privilegeName) != null;
    }

    public int size() {
        return depths.size();
    }

    /** What both sets hold, each at the shallower depth (the rights of an impersonating call). */
    public PrivilegeSet intersect(PrivilegeSet other) {
        Map<String, PrivilegeDepth> out = new HashMap<>();
        for (Map.Entry<String, PrivilegeDepth> e : depths.entrySet()) {
            PrivilegeDepth o = other.depths.get(e.getKey());
            if (o != null) {
                out.put(e.getKey(), o.mask() < e.getValue().mask() ? o : e.getValue());
            }
        }
        return new PrivilegeSet(out);
    }
}
