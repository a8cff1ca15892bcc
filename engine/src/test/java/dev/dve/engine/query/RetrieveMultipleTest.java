package dev.dve.engine.query;

import dev.dve.auth.CallerContext;
import dev.dve.auth.CredentialStore;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.clock.EmulatorClock;
import dev.dve.engine.fixtures.FixtureLoader;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.MetadataLoader;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.store.Database;
import dev.dve.store.DatabaseConfig;
import dev.dve.store.RecordStore;
import dev.dve.store.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.dve.auth.WellKnownPrincipals.SYSTEM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paging as Dataverse pages: every row once, in order, across pages; the count of all rows beside each page. */
class RetrieveMultipleTest {
    private static final MetadataCatalog CATALOG = new MetadataLoader().load(List.of());
    private static Database database;
    private static RetrieveMultiple queries;
    private static final CallerContext CALLER = SYSTEM;

    @BeforeAll
    static void organization() {
        database = new Database(DatabaseConfig.inMemoryH2("retrieve-multiple-" + UUID.randomUUID()));
        SchemaBuilder schema = new SchemaBuilder(CATALOG, database);
        schema.apply();
        OrganizationService service = new OrganizationService(CATALOG, database, new RecordStore(CATALOG, database.dialect()), new EmulatorClock(),
                new dev.dve.auth.security.AccessPolicy(CATALOG));
        new FixtureLoader(service, CATALOG, database, new CredentialStore(database, schema, Instant::now)).load(null);
        for (int i = 0; i < 12; i++) {
            // two rows per name, so the order by name alone is not a keyset
            service.create(CALLER, new Entity("account").set("name", "page-" + (char) ('a' + i / 2)).set("telephone1", "paging"));
        }
        queries = new RetrieveMultiple(service, database, CATALOG, Instant::now);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static QueryExpression accounts() {
        return new QueryExpression("account").columns(new ArrayList<>(List.of("name")))
                .where(Condition.of("telephone1", ConditionOperator.EQUAL, "paging")).orderBy("name", true);
    }

    private static List<String> names(List<Entity> rows) {
        return rows.stream().map(r -> (String) r.get("name")).toList();
    }

    @Test
    void odataPagesGiveEveryRowOnceInOrderWithTheCountBesideEachPage() {
        List<String> seen = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        String cookie = null;
        int pages = 0;
        do {
            RetrieveMultiple.Page page = queries.odataPage(CALLER, accounts(), 5, cookie, true);
            assertEquals(12, page.totalCount(), "the count is of every row, on every page");
            assertFalse(page.countLimitExceeded());
            seen.addAll(names(page.rows()));
            page.rows().forEach(r -> ids.add(r.id()));
            cookie = page.nextCookie();
            pages++;
        } while (cookie != null);
        assertEquals(3, pages, "5 + 5 + 2");
        assertEquals(12, ids.stream().distinct().count(), "no row twice, none left out");
        List<String> sorted = new ArrayList<>(seen);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, seen, "descending by name across pages");
    }

    @Test
    void aTopWithinOnePageIsOnePageWithoutACookie() {
        RetrieveMultiple.Page page = queries.odataPage(CALLER, accounts().top(3), 5, null, false);
        assertEquals(3, page.rows().size());
        assertNull(page.nextCookie());
        assertEquals(-1, page.totalCount(), "no count when none was asked");
    }

    @Test
    void fetchPagesWithTheCookieOrByPageNumberAlone() {
        RetrieveMultiple.Page first = queries.fetchPage(CALLER, accounts(), 5, 1, null, true);
        assertEquals(12, first.totalCount());
        assertNotNull(first.nextCookie());
        // page 2 by the cookie of page 1 (its inner paging-cookie, as a client sends it back) and by number alone agree
        String inner = java.net.URLDecoder.decode(java.net.URLDecoder.decode(first.nextCookie().replaceAll(".*pagingcookie=\"([^\"]*)\".*", "$1"),
                java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
        RetrieveMultiple.Page byCookie = queries.fetchPage(CALLER, accounts(), 5, 2, inner, false);
        RetrieveMultiple.Page byNumber = queries.fetchPage(CALLER, accounts(), 5, 2, null, false);
        assertEquals(byNumber.rows().stream().map(Entity::id).toList(), byCookie.rows().stream().map(Entity::id).toList());
        RetrieveMultiple.Page last = queries.fetchPage(CALLER, accounts(), 5, 3, null, false);
        assertEquals(2, last.rows().size());
        assertFalse(last.moreRecords());
    }

    @Test
    void aCookieOfAnotherQueryIsAQueryError() {
        RetrieveMultiple.Page first = queries.odataPage(CALLER, accounts(), 5, null, false);
        QueryExpression other = new QueryExpression("account").columns(new ArrayList<>(List.of("name"))).orderBy("telephone1", false);
        assertThrows(DataverseFault.class, () -> queries.odataPage(CALLER, other, 5, first.nextCookie(), false));
        assertTrue(first.moreRecords());
    }
}
