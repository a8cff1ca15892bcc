package dev.dve.server.odata;

import dev.dve.engine.query.PagingCookie;
import dev.dve.engine.query.QueryFunctions;
import dev.dve.engine.query.RetrieveMultiple;
import dev.dve.auth.CallerContext;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.fault.DataverseFault;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.OneToManyRelationship;
import dev.dve.query.Condition;
import dev.dve.query.ConditionOperator;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import org.apache.olingo.server.api.uri.UriInfoResource;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.queryoption.ExpandItem;
import org.apache.olingo.server.api.uri.queryoption.ExpandOption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * $expand: for each navigation property, one query through the organization service for the related rows of all
 * the parent rows at once (by id, or by the lookup pointing back), so the caller's read access applies. A collection's
 * rows come back in the nested $orderby, at most $top per parent (cut in the SQL), and are grouped per parent in that
 * order; each parent keeps its first $top rows, or at most {@link RetrieveMultiple#MAX_PAGE} — a parent with more gets a {@code nav@odata.nextLink} to
 * the rest (the related collection's next page), as Dataverse pages an expanded collection.
 */
final class ExpandLoader {
    /** One expanded navigation property: how to read it, and the related rows by parent id once loaded. */
    static final class Expansion {
        final String navigation;
        final boolean collection;
        final boolean reference;
        final EntityMetadata target;
        final OneToManyRelationship relationship;
        final QueryExpression query;
        final List<AttributeMetadata> attributes;
        final List<String> selectedNames;
        final List<Expansion> nested;
        /**
         * For {@code ownerid} (typed principal): the same expansion read from the other entities the navigation may
         * lead to (team beside systemuser), with the selected columns each has; a parent's row is in one of them.
         */
        final List<Expansion> alternates = new ArrayList<>();
        final Map<UUID, List<Entity>> byParent = new LinkedHashMap<>();
        /** The $skiptoken of the rest of a parent's collection, for the parents with more than one page of related rows. */
        final Map<UUID, String> nextCookies = new LinkedHashMap<>();
        /** The parent's entity set, and the nested options as sent: what a next link of the collection repeats. */
        String parentSet;
        String options;

        Expansion(String navigation, boolean collection, boolean reference, EntityMetadata target, OneToManyRelationship relationship,
                  QueryExpression query, List<AttributeMetadata> attributes, List<String> selectedNames, List<Expansion> nested) {
            this.navigation = navigation;
            this.collection = collection;
            this.reference = reference;
            this.target = target;
            this.relationship = relationship;
            this.query = query;
            this.attributes = attributes;
            this.selectedNames = selectedNames;
            this.nested = nested;
        }

        /**
         * The link to the rest of a parent's expanded collection, or null when it was read whole; {@code aliases} are
         * the request's parameter aliases ({@code @p=…}) as sent, which the nested options may use.
         */
        String nextLink(String serviceRoot, UUID parent, List<String> aliases) {
            String cookie = nextCookies.get(parent);
            if (cookie == null) {
                return null;
            }
            List<String> parts = new ArrayList<>(aliases);
            if (!options.isEmpty()) {
                parts.add(0, options);
            }
            String query = (parts.isEmpty() ? "" : String.join("&", parts) + "&") + "$skiptoken="
                    + java.net.URLEncoder.encode(cookie, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
            return serviceRoot + (serviceRoot.endsWith("/") ? "" : "/") + parentSet + "(" + parent + ")/" + navigation + "?" + query;
        }

        /** The context-URL fragment: {@code primarycontactid(fullname)}. */
        String context() {
            List<String> inner = new ArrayList<>(selectedNames);
            nested.forEach(n -> inner.add(n.context()));
            return navigation + "(" + String.join(",", inner) + ")";
        }
    }

    private final OrganizationService service;
    private final MetadataCatalog catalog;
    private final CallerContext caller;
    private final boolean lookupNames;
    private final QueryFunctions.Context context;

    ExpandLoader(OrganizationService service, MetadataCatalog catalog, CallerContext caller, boolean lookupNames, QueryFunctions.Context context) {
        this.context = context;
        this.service = service;
        this.catalog = catalog;
        this.caller = caller;
        this.lookupNames = lookupNames;
    }

    /** Plans the expansions of an entity's rows; {@code parentColumns} gets the lookups the parent query must read. */
    List<Expansion> plan(EntityMetadata parent, ExpandOption option, UriInfoResource aliases, List<String> parentColumns) {
        return plan(parent, option, option == null ? null : option.getText(), aliases, parentColumns);
    }

    /** {@code text}: this level's $expand as sent (Olingo keeps the text of the top level only), for next links. */
    private List<Expansion> plan(EntityMetadata parent, ExpandOption option, String text, UriInfoResource aliases, List<String> parentColumns) {
        List<Expansion> out = new ArrayList<>();
        if (option == null) {
            return out;
        }
        Map<String, Map<String, String>> sent = ExpandText.items(text);
        for (ExpandItem item : option.getExpandItems()) {
            if (item.isStar()) {
                throw DataverseFault.query("$expand=* is not supported.");
            }
            List<UriResource> all = item.getResourcePath().getUriResourceParts();
            boolean ref = item.isRef() || all.stream().anyMatch(p -> p.getKind() == org.apache.olingo.server.api.uri.UriResourceKind.ref);
            List<UriResource> path = all.stream().filter(p -> p.getKind() != org.apache.olingo.server.api.uri.UriResourceKind.ref).toList();
            if (path.size() != 1 || !(path.get(0) instanceof UriResourceNavigation nav)) {
                throw DataverseFault.query("$expand supports navigation properties only.");
            }
            String name = nav.getProperty().getName();
            boolean collection = nav.getProperty().isCollection();
            OneToManyRelationship r = collection ? catalog.relationship(name).orElseThrow()
                    : catalog.manyToOne(parent.logicalName()).stream().filter(x -> x.referencingNavigation().equals(name)).findFirst().orElseThrow();
            if (ref && collection) {
                throw DataverseFault.query("Expand with $ref is only supported on lookup type navigation property.");
            }
            if (!collection && (item.getOrderByOption() != null || item.getTopOption() != null)) {
                throw DataverseFault.query("Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.");
            }
            if (item.getSkipOption() != null || item.getCountOption() != null || item.getLevelsOption() != null || item.getSearchOption() != null) {
                throw DataverseFault.query("Only $select, $filter, $orderby, $top and $expand can be provided inside $expand.");
            }
            EntityMetadata target = catalog.require(collection ? r.referencingEntity() : r.referencedEntity());
            QueryExpression q = QueryOptionTranslator.translate(target, item.getSelectOption(), item.getFilterOption(),
                    item.getOrderByOption(), item.getTopOption(), aliases, context);
            List<AttributeMetadata> attrs = target.columns(q.columns());
            List<String> fetch = q.columns() == null ? null : new ArrayList<>(q.columns());
            Map<String, String> itemOptions = sent.getOrDefault(name, Map.of());
            List<Expansion> nested = plan(target, item.getExpandOption(), itemOptions.get("$expand"), aliases,
                    fetch == null ? new ArrayList<>() : fetch);
            if (collection && fetch != null && !fetch.contains(r.referencingAttribute())) {
                fetch.add(r.referencingAttribute());
            }
            if (fetch != null && target.clientVersioned() && !fetch.contains("versionnumber")) {
                fetch.add("versionnumber");
            }
            if (collection && fetch != null) {
                for (dev.dve.query.Order o : q.orders()) {
                    if (!o.attribute().contains(".") && !fetch.contains(o.attribute())) {
                        fetch.add(o.attribute());
                    }
                }
            }
            q.columns(fetch);
            if (!collection && parentColumns != null && !parentColumns.contains(r.referencingAttribute())) {
                parentColumns.add(r.referencingAttribute());
            }
            Expansion x = new Expansion(name, collection, ref, target, r, q, attrs,
                    QueryOptionTranslator.selectedNames(item.getSelectOption()), nested);
            x.parentSet = parent.entitySetName();
            x.options = ExpandText.query(itemOptions);
            if (!collection) {
                for (OneToManyRelationship other : catalog.navigationTargets(parent.logicalName(), name)) {
                    if (!other.referencedEntity().equals(target.logicalName())) {
                        x.alternates.add(alternate(x, other, fetch));
                    }
                }
            }
            out.add(x);
        }
        return out;
    }

    /** The expansion of a principal navigation read from another derived entity: the selected columns it has. */
    private Expansion alternate(Expansion x, OneToManyRelationship r, List<String> fetch) {
        EntityMetadata target = catalog.require(r.referencedEntity());
        List<String> columns = null;
        if (fetch != null) {
            columns = new ArrayList<>();
            for (String c : fetch) {
                if (target.hasAttribute(c)) {
                    columns.add(c);
                }
            }
            if (!columns.contains(target.primaryIdAttribute())) {
                columns.add(0, target.primaryIdAttribute());
            }
        }
        QueryExpression q = new QueryExpression(target.logicalName()).columns(columns);
        List<String> shown = new ArrayList<>(List.of(target.primaryIdAttribute()));
        x.attributes.stream().map(AttributeMetadata::logicalName).filter(n -> target.hasAttribute(n) && !shown.contains(n)).forEach(shown::add);
        List<String> selected = x.selectedNames.stream().filter(target::hasAttribute).toList();
        return new Expansion(x.navigation, false, x.reference, target, r, q, target.columns(columns == null ? null : shown), selected, List.of());
    }

    /** Reads the related rows of the given parents, then their own expansions. */
    void load(List<Expansion> expansions, List<Entity> parents) {
        for (Expansion x : expansions) {
            if (parents.isEmpty()) {
                continue;
            }
            List<Entity> loaded = new ArrayList<>();
            if (x.collection) {
                loadCollection(x, parents, loaded);
            } else {
                loadSingle(x, parents, loaded);
                for (Expansion alternate : x.alternates) {
                    loadSingle(alternate, parents, new ArrayList<>());
                }
            }
            load(x.nested, loaded);
        }
    }

    private void loadSingle(Expansion x, List<Entity> parents, List<Entity> loaded) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (Entity p : parents) {
            if (p.get(x.relationship.referencingAttribute()) instanceof EntityReference r && r.logicalName().equals(x.target.logicalName())) {
                ids.add(r.id());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        QueryExpression q = copy(x.query).where(new Condition(x.target.primaryIdAttribute(), ConditionOperator.IN, new ArrayList<>(ids)));
        Map<UUID, Entity> byId = new LinkedHashMap<>();
        for (Entity row : service.retrieveMultiple(caller, q, false).entities()) {
            byId.put(row.id(), row);
            loaded.add(row);
        }
        for (Entity p : parents) {
            if (p.get(x.relationship.referencingAttribute()) instanceof EntityReference r && byId.containsKey(r.id())) {
                x.byParent.put(p.id(), List.of(byId.get(r.id())));
            }
        }
    }

    /**
     * One query for the related rows of every parent (an IN on the parents' ids, as the caller), ordered as the
     * nested $orderby asks and limited per parent in SQL (a row number over each parent's rows); each parent keeps its
     * first $top rows, or its first page with a cookie for the rest.
     */
    private void loadCollection(Expansion x, List<Entity> parents, List<Entity> loaded) {
        String attr = x.relationship.referencingAttribute();
        Set<Object> ids = new LinkedHashSet<>();
        parents.forEach(p -> ids.add(p.id()));
        Integer top = x.query.top();
        int perParent = top == null ? RetrieveMultiple.MAX_PAGE : Math.min(top, RetrieveMultiple.MAX_PAGE);
        // each parent's first $top rows (or its first page and one more, to know that a next link is due), cut in SQL
        QueryExpression q = copy(x.query).top(null).where(new Condition(attr, ConditionOperator.IN, new ArrayList<>(ids)))
                .perGroupLimit(new QueryExpression.PerGroupLimit(attr, top == null ? perParent + 1 : perParent));
        Map<UUID, Entity> firstBeyond = new LinkedHashMap<>();
        for (Entity row : service.retrieveMultiple(caller, q, false).entities()) {
            if (!(row.get(attr) instanceof EntityReference r)) {
                continue;
            }
            List<Entity> mine = x.byParent.computeIfAbsent(r.id(), k -> new ArrayList<>());
            if (mine.size() < perParent) {
                mine.add(row);
                loaded.add(row);
            } else if (top == null) {
                firstBeyond.putIfAbsent(r.id(), row);
            }
        }
        boolean linkOrdered = x.query.orders().stream().anyMatch(o -> o.attribute().contains("."));
        List<dev.dve.query.Order> keys = new ArrayList<>(linkOrdered ? List.of() : x.query.orders());
        if (keys.stream().noneMatch(o -> o.attribute().equals(x.target.primaryIdAttribute()))) {
            keys.add(new dev.dve.query.Order(x.target.primaryIdAttribute(), false));
        }
        List<AttributeMetadata> keyAttributes = keys.stream().map(o -> x.target.attribute(o.attribute()).orElseThrow()).toList();
        for (UUID parent : firstBeyond.keySet()) {
            List<Entity> page = x.byParent.get(parent);
            Entity last = page.get(page.size() - 1);
            Entity first = page.get(0);
            x.nextCookies.put(parent, PagingCookie.encode(2, keyAttributes, keys.stream().map(k -> last.get(k.attribute())).toList(),
                    keys.stream().map(k -> first.get(k.attribute())).toList()));
        }
    }

    private QueryExpression copy(QueryExpression q) {
        QueryExpression c = new QueryExpression(q.entityName()).columns(q.columns()).top(q.top()).lookupNames(lookupNames);
        q.criteria().children().forEach(c::where);
        q.orders().forEach(o -> c.orderBy(o.attribute(), o.descending()));
        return c;
    }
}
