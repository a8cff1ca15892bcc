package dev.dve.server.ops;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Request paths become a small fixed set of route templates: no id, name or invented path reaches a metric label. */
class RouteTemplateTest {
    private final RouteTemplate routes = new RouteTemplate(Set.of("accounts", "workflows", "asyncoperations")::contains,
            Set.of("/health", "/clock", "/async/run-until-idle")::contains);

    @Test
    void webApiPathsKeepTheirShapeAndLoseTheirValues() {
        assertEquals("/api/data/{version}/", routes.of("/api/data/v9.2/"));
        assertEquals("/api/data/{version}/", routes.of("/api/data/v9.0"));
        assertEquals("/api/data/{version}/$metadata", routes.of("/api/data/v9.1/$metadata"));
        assertEquals("/api/data/{version}/$batch", routes.of("/api/data/v9.2/$batch"));
        assertEquals("/api/data/{version}/{entityset}", routes.of("/api/data/v9.2/accounts"));
        assertEquals("/api/data/{version}/{entityset}({id})", routes.of("/api/data/v9.2/accounts(8d6a1b30-7c0a-4c1e-9a55-1c2b3d4e5f60)"));
        assertEquals("/api/data/{version}/{entityset}({id})", routes.of("/api/data/v9.2/accounts(accountnumber='A-1')"));
        assertEquals("/api/data/{version}/{entityset}({id})/{property}", routes.of("/api/data/v9.2/accounts(1)/name"));
        assertEquals("/api/data/{version}/{entityset}({id})/{property}/$value", routes.of("/api/data/v9.2/accounts(1)/name/$value"));
        assertEquals("/api/data/{version}/{entityset}({id})/{property}/$ref", routes.of("/api/data/v9.2/accounts(1)/contact_customer_accounts/$ref"));
        assertEquals("/api/data/{version}/{entityset}/$count", routes.of("/api/data/v9.2/accounts/$count"));
        assertEquals("/api/data/{version}/{entityset}({id})/{operation}",
                routes.of("/api/data/v9.2/workflows(1)/Microsoft.Dynamics.CRM.ExecuteWorkflow"));
        assertEquals("/api/data/{version}/{operation}", routes.of("/api/data/v9.2/WhoAmI"));
        assertEquals("/api/data/{version}/{operation}", routes.of("/api/data/v9.2/WhoAmI()"));
        assertEquals("/api/data/{version}/{operation}", routes.of("/api/data/v9.2/nosuchthings"), "unknown sets and operations share one label");
        assertEquals("/api/data/{version}/{entityset}({id})/{property}/{property}/{property}/{property}/…",
                routes.of("/api/data/v9.2/accounts(1)/a/b/c/d/e/f/g"), "deep paths are cut short");
    }

    @Test
    void adminTokenAndOtherPaths() {
        assertEquals("/admin/health", routes.of("/admin/health"));
        assertEquals("/admin/async/run-until-idle", routes.of("/admin/async/run-until-idle"));
        assertEquals("/admin/{unmatched}", routes.of("/admin/8d6a1b30-whatever"));
        assertEquals("/metrics", routes.of("/metrics"));
        assertEquals("/{tenant}/oauth2/v2.0/token", routes.of("/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token"));
        assertEquals("/{tenant}/oauth2/v2.0/token", routes.of("/emulator/oauth2/v2.0/token"));
        assertEquals("/{tenant}/v2.0/.well-known/openid-configuration", routes.of("/emulator/v2.0/.well-known/openid-configuration"));
        assertEquals("/{tenant}/discovery/v2.0/keys", routes.of("/emulator/discovery/v2.0/keys"));
        assertEquals("/common/discovery/instance", routes.of("/common/discovery/instance"));
        assertEquals(RouteTemplate.UNMATCHED, routes.of("/wp-login.php"));
        assertEquals(RouteTemplate.UNMATCHED, routes.of("/api/data/accounts"));
        assertEquals(RouteTemplate.UNMATCHED, routes.of(null));
    }

    @Test
    void consolePathsLoseTheirWorkflowIds() {
        assertEquals("/console/", routes.of("/console/"));
        assertEquals("/console/{file}", routes.of("/console/console.js"));
        assertEquals("/console/api/workflows", routes.of("/console/api/workflows"));
        assertEquals("/console/api/workflows/{id}", routes.of("/console/api/workflows/8d6a1b30-7c0a-4c1e-9a55-1c2b3d4e5f60"));
        assertEquals("/console/api/workflows/{id}/start", routes.of("/console/api/workflows/x/start"));
        assertEquals("/console/{unmatched}", routes.of("/console/api/workflows/x/delete"));
        assertEquals("/console/{unmatched}", routes.of("/console/a/b/c.js"));
    }
}
