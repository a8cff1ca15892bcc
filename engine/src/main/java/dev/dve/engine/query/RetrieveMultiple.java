package dev.dve.engine.query;

import dev.dve.auth.CallerContext;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.query.Keyset;
import dev.dve.query.Order;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.store.Database;

import java.util.ArrayList;
import java.util.List;

/**
 * RetrieveMultiple with Dataverse's paging: a page of at most {@link #MAX_PAGE} rows, the cookie of the next page
 * (a keyset after the page's last row, or a page number when the order rests on a linked table's column), and the
 * total count when asked — the count and the page read in one transaction, so they describe the same rows. Every
 * way in pages through here: the Web API's {@code $skiptoken} and FetchXML's {@code page}/{@code paging-cookie}.
 */
public final class RetrieveMultiple {
    /** The most rows of one page, and the most a count reports (Dataverse's 5 000). */
    public static final int MAX_PAGE = 5000;
    private final OrganizationService service;
    private final Database database;
    private final MetadataCatalog catalog;
    private final java.util.function.Supplier<java.time.Instant> clock;

    public RetrieveMultiple(OrganizationService service, Database database, MetadataCatalog catalog, java.util.function.Supplier<java.time.Instant> clock) {
        this.service = service;
        this.database = database;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * What the caller- and date-relative query functions are computed from for this caller: the emulator clock, the
     * caller's user, unit and teams, the organization's fiscal calendar and the caller's language.
     */
    public QueryFunctions.Context functionContext(CallerContext caller) {
        return new QueryFunctions.Context(clock.get(), caller.userId(), caller.businessUnitId(),
                () -> service.securityPrincipalFor(caller.userId()).teams(), catalog,
                () -> fiscalCalendar(),
                () -> userLanguage(caller.userId()));
    }

    /**
     * The user interface language of a user: their own {@code usersettings.uilanguageid} when they have set one, else
     * the organization's {@code languagecode} (read as the platform: the language is the caller's own fact).
     */
    private int userLanguage(java.util.UUID user) {
        List<Entity> settings = service.retrieveMultiple(dev.dve.auth.WellKnownPrincipals.SYSTEM, new QueryExpression("usersettings")
                .columns(List.of("uilanguageid")).where(dev.dve.query.Condition.of("systemuserid", dev.dve.query.ConditionOperator.EQUAL, user))
                .top(1), false).entities();
        if (!settings.isEmpty() && settings.get(0).get("uilanguageid") instanceof Number n && n.intValue() > 0) {
            return n.intValue();
        }
        return organization("languagecode") instanceof Number n ? n.intValue() : 1033;
    }

    /** A column of the organization row (there is one), read as the platform. */
    private Object organization(String column) {
        Entity org = organization(List.of(column));
        return org == null ? null : org.get(column);
    }

    private Entity organization(List<String> columns) {
        List<Entity> orgs = service.retrieveMultiple(dev.dve.auth.WellKnownPrincipals.SYSTEM,
                new QueryExpression("organization").columns(columns).top(1), false).entities();
        return orgs.isEmpty() ? null : orgs.get(0);
    }

    /** The organization's fiscal calendar: its start ({@code fiscalcalendarstart}) and periods ({@code fiscalperiodtype}). */
    private dev.dve.query.FiscalCalendar fiscalCalendar() {
        Entity org = organization(List.of("fiscalcalendarstart", "fiscalperiodtype"));
        java.time.MonthDay start = org != null && org.get("fiscalcalendarstart") instanceof java.time.Instant i
                ? java.time.MonthDay.from(i.atZone(java.time.ZoneOffset.UTC)) : java.time.MonthDay.of(1, 1);
        Integer type = org != null && org.get("fiscalperiodtype") instanceof Number n ? n.intValue() : null;
        return new dev.dve.query.FiscalCalendar(start, dev.dve.query.FiscalCalendar.Template.of(type));
    }

    /**
     * One page: its rows, the count of every matching row ({@code -1} when not asked; capped at {@link #MAX_PAGE}),
     * whether the count reached the cap, and the cookie of the next page (null: this is the last).
     */
    public record Page(List<Entity> rows, long totalCount, boolean countLimitExceeded, String nextCookie) {
        public boolean moreRecords() {
            return nextCookie != null;
        }
    }

    /**
     * A page of an OData query: {@code pageSize} rows (odata.maxpagesize, at most {@link #MAX_PAGE}) after the row the
     * {@code $skiptoken} names; a {@code $top} within one page is a single page with no next link.
     */
    public Page odataPage(CallerContext caller, QueryExpression q, int pageSize, String skipToken, boolean count) {
        EntityMetadata e = catalog.require(q.entityName());
        List<Order> keys = sortKeys(e, q);
        List<AttributeMetadata> keyAttributes = attributes(e, keys);
        int size = Math.max(1, Math.min(pageSize, MAX_PAGE));
        return database.inTransaction(c -> {
            long total = count ? Math.min(service.count(caller, countOf(q)), MAX_PAGE) : -1;
            int pageNumber = 1;
            if (skipToken != null) {
                PagingCookie.Decoded d = PagingCookie.decode(skipToken, e, keyAttributes);
                pageNumber = d.page();
                q.where(Keyset.after(keys, d.last()));
            }
            withColumns(q, keys);
            Integer top = q.top();
            boolean single = top != null && top <= size;
            q.top(single ? top : size + 1);
            List<Entity> rows = service.retrieveMultiple(caller, q, false).entities();
            String next = null;
            if (!single && rows.size() > size) {
                rows = rows.subList(0, size);
                next = cookie(pageNumber + 1, keys, keyAttributes, rows);
            }
            return new Page(rows, total, count && total >= MAX_PAGE, next);
        });
    }

    /** The columns of a query's linked tables that its rows carry, as (alias, attribute) pairs, in the order they are read. */
    public List<java.util.Map.Entry<String, AttributeMetadata>> linkedColumns(QueryExpression q) {
        return new dev.dve.store.QueryTranslator(catalog, database.dialect()).linkedColumns(q);
    }

    /** The kinds of stored view a query can name: an organization's system view or a user's saved view. */
    public enum ViewKind {
        SAVED_QUERY("savedquery"), USER_QUERY("userquery");

        private final String entity;

        ViewKind(String entity) {
            this.entity = entity;
        }
    }

    /**
     * The FetchXML of a stored view the caller may read, which must return rows of {@code entity} (a view of another
     * table is a query error, as Dataverse answers it).
     */
    public String viewFetchXml(CallerContext caller, ViewKind kind, java.util.UUID id, String entity) {
        Entity view = service.retrieve(caller, kind.entity, id, List.of("fetchxml", "returnedtypecode"), false);
        if (!entity.equals(view.get("returnedtypecode"))) {
            throw dev.dve.fault.DataverseFault.query("The view " + id + " returns '" + view.get("returnedtypecode") + "', not '" + entity + "'.");
        }
        return (String) view.get("fetchxml");
    }

    /**
     * A page of a FetchXML query: page {@code page} of {@code count} rows (default {@link #MAX_PAGE}); with the cookie
     * of the page before it the page continues after that page's last row, else (or when the order rests on a linked
     * table's column) it skips the rows of the pages before it. A {@code top} is a single page.
     */
    public Page fetchPage(CallerContext caller, QueryExpression q, Integer count, int page, String pagingCookie, boolean totalRecordCount) {
        EntityMetadata e = catalog.require(q.entityName());
        boolean linkOrdered = q.orders().stream().anyMatch(o -> o.attribute().contains("."));
        List<Order> keys = sortKeys(e, q);
        List<AttributeMetadata> keyAttributes = attributes(e, keys);
        int size = count != null ? count : MAX_PAGE;
        return database.inTransaction(c -> {
            long total = totalRecordCount ? service.count(caller, countOf(q)) : -1;
            if (page > 1) {
                PagingCookie.Decoded cookie = pagingCookie == null ? null : PagingCookie.decodeFetchCookie(pagingCookie, keyAttributes);
                if (cookie != null && cookie.page() == page - 1 && !linkOrdered) {
                    q.where(Keyset.after(keys, cookie.last()));
                } else {
                    q.skip((page - 1) * size);
                }
            }
            withColumns(q, keys);
            boolean topped = q.top() != null;
            if (!topped) {
                q.top(size + 1);
            }
            List<Entity> rows = service.retrieveMultiple(caller, q, false).entities();
            String next = null;
            if (!topped && rows.size() > size) {
                rows = rows.subList(0, size);
                next = cookie(page + 1, keys, keyAttributes, rows);
            }
            return new Page(rows, totalRecordCount ? Math.min(total, MAX_PAGE) : -1, total > MAX_PAGE, next);
        });
    }

    /**
     * The keyset of a query: its orders on the entity's own columns, ending with the primary id. Orders on link-entity
     * columns make the query unsuitable for a keyset, so then the keyset is just the id (and paging counts pages).
     */
    private static List<Order> sortKeys(EntityMetadata e, QueryExpression q) {
        boolean linkOrdered = q.orders().stream().anyMatch(o -> o.attribute().contains("."));
        List<Order> keys = new ArrayList<>(linkOrdered ? List.of() : q.orders());
        if (keys.stream().noneMatch(o -> o.attribute().equals(e.primaryIdAttribute()))) {
            keys.add(new Order(e.primaryIdAttribute(), false));
        }
        return keys;
    }

    private static List<AttributeMetadata> attributes(EntityMetadata e, List<Order> keys) {
        return keys.stream().map(o -> e.attribute(o.attribute()).orElseThrow()).toList();
    }

    /** The page's rows must carry their sort keys, to write the next page's cookie. */
    private static void withColumns(QueryExpression q, List<Order> keys) {
        if (q.columns() == null) {
            return;
        }
        List<String> columns = new ArrayList<>(q.columns());
        keys.forEach(k -> {
            if (!columns.contains(k.attribute())) {
                columns.add(k.attribute());
            }
        });
        q.columns(columns);
    }

    private static String cookie(int nextPage, List<Order> keys, List<AttributeMetadata> keyAttributes, List<Entity> page) {
        Entity last = page.get(page.size() - 1);
        Entity first = page.get(0);
        return PagingCookie.encode(nextPage, keyAttributes, keys.stream().map(k -> last.get(k.attribute())).toList(),
                keys.stream().map(k -> first.get(k.attribute())).toList());
    }

    /** The query's filter and joins without columns or paging: what its count counts. */
    private static QueryExpression countOf(QueryExpression q) {
        QueryExpression c = new QueryExpression(q.entityName()).columns(List.of()).distinct(q.distinct());
        q.criteria().children().forEach(c::where);
        q.links().forEach(c::link);
        return c;
    }
}
