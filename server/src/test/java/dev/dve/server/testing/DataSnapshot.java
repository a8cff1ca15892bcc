package dev.dve.server.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every row of every entity set as a System Administrator reads it: taken before and after an attack, two snapshots
 * are equal exactly when nothing was created, changed or deleted.
 */
public record DataSnapshot(Map<String, String> rowsBySet) {

    public static DataSnapshot take(WebApi admin) {
        WebApi.Response root = admin.get("");
        if (root.status() != 200) {
            throw new IllegalStateException("service document: " + root);
        }
        Map<String, String> out = new TreeMap<>();
        for (JsonNode set : root.json().path("value")) {
            String name = set.path("url").asText();
            List<String> pages = new ArrayList<>();
            String next = name;
            while (next != null) {
                WebApi.Response r = admin.get(next, "Prefer", "odata.maxpagesize=5000");
                if (r.status() != 200) {
                    throw new IllegalStateException(name + ": " + r);
                }
                pages.add(r.json().path("value").toString());
                String link = r.json().path("@odata.nextLink").asText(null);
                next = link == null ? null : link.substring(link.indexOf(name));
            }
            out.put(name, String.join("", pages));
        }
        return new DataSnapshot(out);
    }

    /** The entity sets whose rows differ from the other snapshot's. */
    public List<String> differences(DataSnapshot other) {
        List<String> out = new ArrayList<>();
        for (String set : rowsBySet.keySet()) {
            if (!rowsBySet.get(set).equals(other.rowsBySet.get(set))) {
                out.add(set);
            }
        }
        return out;
    }
}
