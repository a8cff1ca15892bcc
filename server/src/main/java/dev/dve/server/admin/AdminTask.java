package dev.dve.server.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** One admin API route: reads the JSON body (empty object when none) and answers JSON. */
@FunctionalInterface
public interface AdminTask {
    AdminResponse handle(JsonNode body);
}
