package dev.dve.server.auth;

import dev.dve.auth.CallerContext;
import dev.dve.auth.security.PrivilegeCatalog;
import dev.dve.auth.security.SecurityPrincipal;
import dev.dve.auth.token.TokenRejected;
import dev.dve.engine.OrganizationRuntime;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.payload.PayloadReader;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import dev.dve.server.CallerResolver;
import io.jsonwebtoken.Claims;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.UUID;

/**
 * Turns the bearer token of a request into the system user it runs as: validates the token, maps {@code oid} to
 * {@code azureactivedirectoryobjectid} or {@code appid} to {@code applicationid}, refuses unknown and disabled
 * users, and applies impersonation ({@code MSCRMCallerID}, {@code CallerObjectId}) when the real caller may act on
 * behalf of another user.
 */
public final class BearerAuthenticator implements CallerResolver {
    private static final Logger LOG = LoggerFactory.getLogger(BearerAuthenticator.class);
    private final OrganizationRuntime runtime;
    private final Authority authority;

    public BearerAuthenticator(OrganizationRuntime runtime, Authority authority) {
        this.runtime = runtime;
        this.authority = authority;
    }

    @Override
    public CallerContext resolve(HttpServletRequest req) {
        Claims claims = claims(req);
        Entity user = user(claims);
        requireEnabled(user);
        UUID bu = ((EntityReference) user.get("businessunitid")).id();
        CallerContext real = new CallerContext(user.id(), bu);
        Optional<Entity> impersonated = impersonated(req);
        if (impersonated.isEmpty() || impersonated.get().id().equals(user.id())) {
            return real;
        }
        SecurityPrincipal p = runtime.service().securityPrincipal(real);
        if (!p.privileges().has(PrivilegeCatalog.ACT_ON_BEHALF)) {
            runtime.accessPolicy().requireSpecial(p, PrivilegeCatalog.ACT_ON_BEHALF, runtime.catalog().require("systemuser"));
        }
        Entity target = impersonated.get();
        requireEnabled(target);
        return new CallerContext(target.id(), ((EntityReference) target.get("businessunitid")).id(), user.id());
    }

    /** The validated claims of the request's bearer token. */
    public Claims claims(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw unauthenticated("The request is not authenticated: a bearer token is required.");
        }
        try {
            return runtime.tokens().validate(header.substring(7).trim(), authority.audiences(), authority.issuers());
        } catch (TokenRejected e) {
            // the client gets the short reason; the library's detail stays in the log
            LOG.debug("Bearer token refused: {} ({})", e.getMessage(), e.getCause() == null ? "" : e.getCause().toString());
            throw unauthenticated(e.getMessage());
        }
    }

    private Entity user(Claims claims) {
        String oid = claims.get("oid", String.class);
        String appid = claims.get("appid", String.class) != null ? claims.get("appid", String.class) : claims.get("azp", String.class);
        boolean application = "app".equals(claims.get("idtyp", String.class)) || oid == null;
        Optional<Entity> user;
        try {
            user = application ? runtime.principals().byApplicationId(UUID.fromString(appid))
                    : runtime.principals().byObjectId(UUID.fromString(oid));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw unauthenticated("The token names no known user or application.");
        }
        return user.orElseThrow(() -> new DataverseFault(ErrorCode.USER_NOT_IN_ORGANIZATION, "The user is not a member of the organization."));
    }

    private Optional<Entity> impersonated(HttpServletRequest req) {
        String callerId = req.getHeader("MSCRMCallerID");
        String objectId = req.getHeader("CallerObjectId");
        try {
            if (callerId != null && !callerId.isBlank()) {
                UUID id = PayloadReader.parseGuid(callerId);
                return Optional.of(runtime.principals().byId(id).orElseThrow(() -> DataverseFault.notFound("systemuser", id)));
            }
            if (objectId != null && !objectId.isBlank()) {
                UUID oid = PayloadReader.parseGuid(objectId);
                return Optional.of(runtime.principals().byObjectId(oid).orElseThrow(
                        () -> new DataverseFault(ErrorCode.USER_NOT_IN_ORGANIZATION, "The user with AADObjectId " + oid + " is not a member of the organization.")));
            }
        } catch (IllegalArgumentException e) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The impersonation header does not hold a valid GUID.");
        }
        return Optional.empty();
    }

    private void requireEnabled(Entity user) {
        if (Boolean.TRUE.equals(user.get("isdisabled"))) {
            throw new DataverseFault(ErrorCode.USER_DISABLED, "The user with SystemUserId=" + user.id() + " in OrganizationContext="
                    + runtime.service().organizationId() + " is disabled. Disabled users cannot access the system. Consider enabling this user. "
                    + "Also, users are disabled if they don't have a license assigned to them.");
        }
    }

    private static DataverseFault unauthenticated(String message) {
        return new DataverseFault(ErrorCode.NOT_AUTHENTICATED, message);
    }
}
