package dev.dve.server;

import dev.dve.auth.CallerContext;
import jakarta.servlet.http.HttpServletRequest;

/** Decides who a Web API request runs as. */
@FunctionalInterface
public interface CallerResolver {
    CallerContext resolve(HttpServletRequest request);
}
