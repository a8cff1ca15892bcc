package dev.dve.server.odata;

import dev.dve.engine.query.QueryFunctions;
import dev.dve.engine.organization.EntityCollection;
import dev.dve.engine.organization.UpsertMode;
import dev.dve.engine.organization.UpsertResult;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.OneToManyRelationship;
import dev.dve.payload.Payload;
import dev.dve.query.Condition;
import dev.dve.query.Order;
import java.util.ArrayList;
import dev.dve.query.ConditionOperator;
import dev.dve.engine.query.RetrieveMultiple;
import dev.dve.query.QueryExpression;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpHeader;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.processor.CountEntityCollectionProcessor;
import org.apache.olingo.server.api.processor.EntityProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriInfoResource;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceNavigation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Records and record collections: GET, POST, PATCH (update or upsert), DELETE and {@code /$count}. */
final class EntityRecordProcessor extends DataverseProcessor implements EntityProcessor, CountEntityCollectionProcessor {

    EntityRecordProcessor(RequestScope scope) {
        super(scope);
    }

    /** What a resource path addresses: an entity's rows, one row, or the rows related to one row. */
    private record Target(EntityMetadata entity, UUID id, Condition scope) {
    }

    private Target resolve(List<UriResource> all) {
        List<UriResource> parts = all.stream().filter(p -> p.getKind() != org.apache.olingo.server.api.uri.UriResourceKind.count).toList();
        UriResourceEntitySet root = (UriResourceEntitySet) parts.get(0);
        EntityMetadata e = entity(root);
        UUID id = root.getKeyPredicates().isEmpty() ? null : key(e, root.getKeyPredicates());
        if (parts.size() == 1) {
            return new Target(e, id, null);
        }
        if (parts.size() > 2 || !(parts.get(1) instanceof UriResourceNavigation nav) || id == null) {
            throw DataverseFault.query("This resource path is not supported yet by the emulator.");
        }
        String name = nav.getProperty().getName();
        if (nav.getProperty().isCollection()) {
            OneToManyRelationship r = scope.runtime().catalog().relationship(name, e.logicalName()).orElseThrow();
            service().retrieve(scope.caller(), e.logicalName(), id, List.of(e.primaryIdAttribute()), false);
            EntityMetadata child = entityByType(r.referencingEntity());
            UUID childId = nav.getKeyPredicates().isEmpty() ? null : key(child, nav.getKeyPredicates());
            return new Target(child, childId, Condition.of(r.referencingAttribute(), ConditionOperator.EQUAL, id));
        }
        OneToManyRelationship r = scope.runtime().catalog().manyToOne(e.logicalName()).stream()
                .filter(x -> x.referencingNavigation().equals(name)).findFirst().orElseThrow();
        Entity parent = service().retrieve(scope.caller(), e.logicalName(), id, List.of(r.referencingAttribute()), false);
        Object ref = parent.get(r.referencingAttribute());
        // ownerid leads to principal: the user or the team the row names
        if (!(ref instanceof EntityReference target) || scope.runtime().catalog().navigationTargets(e.logicalName(), name).stream()
                .noneMatch(x -> x.referencedEntity().equals(target.logicalName()))) {
            throw new DataverseFault(ErrorCode.OBJECT_DOES_NOT_EXIST, "No " + r.referencedEntity() + " is related to " + e.logicalName() + " " + id + " through '" + name + "'.");
        }
        return new Target(entityByType(target.logicalName()), target.id(), null);
    }

    @Override
    public void readEntityCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Target t = resolve(uriInfo.getUriResourceParts());
        EntityMetadata e = t.entity();
        JsonFormat json = jsonFormat(request, format);
        String fetchXml = storedOrGivenFetchXml(uriInfo, e);
        if (fetchXml != null) {
            readFetchXml(request, response, uriInfo, t, fetchXml, json);
            return;
        }
        if (uriInfo.getApplyOption() != null) {
            readAggregate(request, response, uriInfo, t);
            return;
        }
        PreferHeader prefer = new PreferHeader(request.getHeaders("Prefer"));
        AnnotationFilter annotations = prefer.annotations();
        QueryExpression q = QueryOptionTranslator.translate(e, uriInfo, queryContext());
        if (t.scope() != null) {
            q.where(t.scope());
        }
        q.lookupNames(annotations.needsLookupNames());
        boolean count = uriInfo.getCountOption() != null && uriInfo.getCountOption().getValue();
        List<AttributeMetadata> attrs = e.columns(q.columns());
        int pageSize = pageSize(prefer);
        List<String> fetch = q.columns() == null ? null : new ArrayList<>(q.columns());
        ExpandLoader expander = new ExpandLoader(service(), scope.runtime().catalog(), scope.caller(), annotations.needsLookupNames(), queryContext());
        List<ExpandLoader.Expansion> expansions = expander.plan(e, uriInfo.getExpandOption(), uriInfo, fetch);
        q.columns(withVersion(e, fetch));
        RetrieveMultiple.Page page = scope.runtime().queries().odataPage(scope.caller(), q, pageSize,
                uriInfo.getSkipTokenOption() == null ? null : uriInfo.getSkipTokenOption().getValue(), count);
        long totalCount = page.totalCount();
        String nextLink = page.nextCookie() == null ? null : nextLink(request, page.nextCookie());
        List<Entity> pageRows = page.rows();
        expander.load(expansions, pageRows);
        String next = nextLink;
        String context = request.getRawBaseUri() + "/$metadata#" + e.entitySetName() + selectSuffix(uriInfo, expansions);
        applyPreferences(response, prefer, false);
        writeJson(response, HttpStatusCode.OK.getStatusCode(), json.contentType(), g -> {
            if (json.controlInformation()) {
                g.writeStringField("@odata.context", context);
            }
            if (count) {
                g.writeNumberField("@odata.count", totalCount);
            }
            if (annotations.includes("Microsoft.Dynamics.CRM.totalrecordcount")) {
                g.writeNumberField("@Microsoft.Dynamics.CRM.totalrecordcount", count ? totalCount : -1);
            }
            if (annotations.includes("Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded")) {
                g.writeBooleanField("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded", page.countLimitExceeded());
            }
            g.writeArrayFieldStart("value");
            for (Entity row : pageRows) {
                g.writeStartObject();
                scope.writer().writeEntity(g, e, row, attrs, annotations, false, json);
                writeExpanded(g, request, e, row, expansions, annotations, json);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (next != null) {
                g.writeStringField("@odata.nextLink", next);
            }
        });
        if (prefer.maxPageSize() != null) {
            response.addHeader("Preference-Applied", "odata.maxpagesize=" + pageSize);
        }
    }

    /** {@code ?fetchXml=…}, or the FetchXML of the view {@code ?savedQuery=<id>} / {@code ?userQuery=<id>} names. */
    private String storedOrGivenFetchXml(UriInfo uriInfo, EntityMetadata e) {
        for (org.apache.olingo.server.api.uri.queryoption.CustomQueryOption o : uriInfo.getCustomQueryOptions()) {
            switch (o.getName()) {
                case "fetchXml" -> {
                    return o.getText();
                }
                case "savedQuery", "userQuery" -> {
                    UUID id;
                    try {
                        id = dev.dve.payload.PayloadReader.parseGuid(o.getText());
                    } catch (IllegalArgumentException ex) {
                        throw DataverseFault.query("The " + o.getName() + " parameter must be the view's id.");
                    }
                    RetrieveMultiple.ViewKind kind = o.getName().equals("savedQuery") ? RetrieveMultiple.ViewKind.SAVED_QUERY
                            : RetrieveMultiple.ViewKind.USER_QUERY;
                    return scope.runtime().queries().viewFetchXml(scope.caller(), kind, id, e.logicalName());
                }
                default -> {
                }
            }
        }
        return null;
    }

    private void readFetchXml(ODataRequest request, ODataResponse response, UriInfo uriInfo, Target t, String fetchXml, JsonFormat json) {
        EntityMetadata e = t.entity();
        QueryFunctions.Context ctx = queryContext();
        dev.dve.query.FetchXmlParser.Fetch fetch = new dev.dve.query.FetchXmlParser(scope.runtime().catalog(),
                QueryFunctions.fetchXmlResolver(ctx)).parse(fetchXml);
        QueryExpression q = fetch.query();
        if (!q.entityName().equals(e.logicalName())) {
            throw DataverseFault.query("The entity name '" + q.entityName() + "' of the FetchXML does not match the entity set '" + e.entitySetName() + "'.");
        }
        if (t.scope() != null) {
            q.where(t.scope());
        }
        if (q.aggregation() != null) {
            writeGroups(request, response, e, service().aggregate(scope.caller(), q), fetch.groupAliases());
            return;
        }
        PreferHeader prefer = new PreferHeader(request.getHeaders("Prefer"));
        AnnotationFilter annotations = prefer.annotations();
        q.lookupNames(annotations.needsLookupNames());
        List<AttributeMetadata> attrs = e.columns(q.columns());
        boolean countAsked = fetch.totalRecordCount() || uriInfo.getCountOption() != null && uriInfo.getCountOption().getValue();
        if (q.columns() != null) {
            q.columns(withVersion(e, new ArrayList<>(q.columns())));
        }
        RetrieveMultiple.Page result = scope.runtime().queries().fetchPage(scope.caller(), q, fetch.count(), fetch.page(), fetch.pagingCookie(), countAsked);
        List<Entity> page = result.rows();
        long total = result.totalCount();
        String cookie = result.nextCookie();
        List<java.util.Map.Entry<String, AttributeMetadata>> linked = scope.runtime().queries().linkedColumns(q);
        String context = request.getRawBaseUri() + "/$metadata#" + e.entitySetName();
        String pagingCookie = cookie;
        applyPreferences(response, prefer, false);
        writeJson(response, HttpStatusCode.OK.getStatusCode(), json.contentType(), g -> {
            if (json.controlInformation()) {
                g.writeStringField("@odata.context", context);
            }
            if (countAsked) {
                g.writeNumberField("@odata.count", total);
                g.writeNumberField("@Microsoft.Dynamics.CRM.totalrecordcount", total);
                g.writeBooleanField("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded", result.countLimitExceeded());
            }
            if (pagingCookie != null && annotations.includes("Microsoft.Dynamics.CRM.fetchxmlpagingcookie")) {
                g.writeStringField("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie", pagingCookie);
            }
            if (pagingCookie != null && annotations.includes("Microsoft.Dynamics.CRM.morerecords")) {
                g.writeBooleanField("@Microsoft.Dynamics.CRM.morerecords", true);
            }
            g.writeArrayFieldStart("value");
            for (Entity row : page) {
                g.writeStartObject();
                scope.writer().writeEntity(g, e, row, attrs, annotations, true, json);
                for (java.util.Map.Entry<String, AttributeMetadata> c : linked) {
                    Object v = row.get(c.getKey() + "." + c.getValue().logicalName());
                    if (v != null) {
                        g.writeFieldName(c.getKey() + "." + c.getValue().logicalName());
                        RecordJsonWriter.writeValue(g, v, json.ieee754Compatible());
                    }
                }
                RecordJsonWriter.writeNavigationLinks(g, e, row, json, java.util.Set.of());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private void readAggregate(ODataRequest request, ODataResponse response, UriInfo uriInfo, Target t) {
        EntityMetadata e = t.entity();
        QueryExpression q = ApplyTranslator.translate(e, uriInfo.getApplyOption(), uriInfo, queryContext());
        if (uriInfo.getFilterOption() != null) {
            q.where(new FilterTranslator(e, uriInfo, queryContext(), scope.runtime().catalog()).translate(uriInfo.getFilterOption().getExpression()));
        }
        if (t.scope() != null) {
            q.where(t.scope());
        }
        writeGroups(request, response, e, service().aggregate(scope.caller(), q), java.util.Map.of());
    }

    /** Grouped rows: group values under their alias (or Web API name), aggregates under their alias; nulls left out. */
    private void writeGroups(ODataRequest request, ODataResponse response, EntityMetadata e, List<java.util.Map<String, Object>> groups,
                             java.util.Map<String, String> aliases) {
        String context = request.getRawBaseUri() + "/$metadata#" + e.entitySetName();
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", context);
            g.writeArrayFieldStart("value");
            for (java.util.Map<String, Object> row : groups) {
                g.writeStartObject();
                // groups over lookup paths ("primarycontactid.fullname") nest under the navigation property, null or not
                java.util.Map<String, java.util.Map<String, Object>> nested = new java.util.LinkedHashMap<>();
                for (java.util.Map.Entry<String, Object> v : row.entrySet()) {
                    int dot = v.getKey().indexOf('.');
                    if (dot > 0 && !aliases.containsKey(v.getKey())) {
                        nested.computeIfAbsent(v.getKey().substring(0, dot), k -> new java.util.LinkedHashMap<>()).put(v.getKey().substring(dot + 1), v.getValue());
                        continue;
                    }
                    if (v.getValue() == null) {
                        continue;
                    }
                    String name = aliases.containsKey(v.getKey()) ? aliases.get(v.getKey())
                            : e.attribute(v.getKey()).map(AttributeMetadata::webApiName).orElse(v.getKey());
                    g.writeFieldName(name);
                    RecordJsonWriter.writeValue(g, v.getValue());
                }
                for (java.util.Map.Entry<String, java.util.Map<String, Object>> n : nested.entrySet()) {
                    boolean empty = n.getValue().values().stream().allMatch(java.util.Objects::isNull);
                    if (empty) {
                        g.writeNullField(n.getKey());
                        continue;
                    }
                    g.writeObjectFieldStart(n.getKey());
                    for (java.util.Map.Entry<String, Object> inner : n.getValue().entrySet()) {
                        g.writeFieldName(inner.getKey());
                        RecordJsonWriter.writeValue(g, inner.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static int pageSize(PreferHeader prefer) {
        Integer asked = prefer.maxPageSize();
        if (asked == null || asked <= 0) {
            return QueryOptionTranslator.MAX_PAGE;
        }
        return Math.min(asked, QueryOptionTranslator.MAX_PAGE);
    }

    /** The request's own URL (base included, as clients strip it) with the new $skiptoken instead of the old one. */
    private static String nextLink(ODataRequest request, String cookie) {
        StringBuilder b = new StringBuilder(request.getRawBaseUri()).append(request.getRawODataPath().startsWith("/") ? "" : "/").append(request.getRawODataPath());
        String query = request.getRawQueryPath();
        List<String> kept = new ArrayList<>();
        if (query != null && !query.isEmpty()) {
            for (String p : query.split("&")) {
                String name = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
                String decoded = java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
                if (!decoded.equals("$skiptoken") && !decoded.equals("$count")) {
                    kept.add(p);
                }
            }
        }
        kept.add("$skiptoken=" + java.net.URLEncoder.encode(cookie, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        return b.append('?').append(String.join("&", kept)).toString();
    }

    @Override
    public void countEntityCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        Target t = resolve(uriInfo.getUriResourceParts());
        QueryExpression q = QueryOptionTranslator.translate(t.entity(), uriInfo, queryContext());
        if (t.scope() != null) {
            q.where(t.scope());
        }
        long n = Math.min(service().count(scope.caller(), q), QueryOptionTranslator.MAX_PAGE);
        response.setStatusCode(HttpStatusCode.OK.getStatusCode());
        response.setHeader(HttpHeader.CONTENT_TYPE, "text/plain");
        response.setContent(new ByteArrayInputStream(String.valueOf(n).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void readEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Target t = resolve(uriInfo.getUriResourceParts());
        if (t.id() == null) {
            throw DataverseFault.query("A key is required.");
        }
        QueryOptionTranslator.rejectUnsupported(uriInfo);
        PreferHeader prefer = new PreferHeader(request.getHeaders("Prefer"));
        AnnotationFilter annotations = prefer.annotations();
        List<String> columns = QueryOptionTranslator.columns(t.entity(), uriInfo);
        List<String> fetch = columns == null ? null : new ArrayList<>(columns);
        ExpandLoader expander = new ExpandLoader(service(), scope.runtime().catalog(), scope.caller(), annotations.needsLookupNames(), queryContext());
        List<ExpandLoader.Expansion> expansions = expander.plan(t.entity(), uriInfo.getExpandOption(), uriInfo, fetch);
        Entity row = service().retrieve(scope.caller(), t.entity().logicalName(), t.id(), withVersion(t.entity(), fetch),
                annotations.needsLookupNames());
        Long version = t.entity().clientVersioned() ? (Long) row.get("versionnumber") : null;
        String ifNoneMatch = request.getHeader(HttpHeader.IF_NONE_MATCH);
        if (version != null && annotations.isEmpty() && expansions.isEmpty() && version.equals(version(ifNoneMatch))) {
            response.setStatusCode(HttpStatusCode.NOT_MODIFIED.getStatusCode());
            return;
        }
        expander.load(expansions, List.of(row));
        writeRow(request, response, HttpStatusCode.OK.getStatusCode(), t.entity(), row, columns, uriInfo, prefer, false, expansions,
                jsonFormat(request, format));
    }

    @Override
    public void createEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat) {
        Target t = resolve(uriInfo.getUriResourceParts());
        if (t.id() != null) {
            throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "POST is not supported on a single record; use PATCH.");
        }
        EntityMetadata e = t.entity();
        Payload payload = scope.payloads().read(e, withContentIdReferences(e, body(request)));
        if (t.scope() != null) {
            payload.entity().set(t.scope().attribute(), new EntityReference(uriParentEntity(uriInfo), (UUID) t.scope().values().get(0)));
        }
        UUID id = service().create(scope.caller(), payload);
        respondWritten(request, response, uriInfo, e, id, true, jsonFormat(request, responseFormat));
    }

    /** In a $batch change set, {@code "x@odata.bind": "$1"} names the record an earlier part created. */
    private com.fasterxml.jackson.databind.JsonNode withContentIdReferences(EntityMetadata e, String text) {
        com.fasterxml.jackson.databind.JsonNode body = scope.payloads().parse(e.entitySetName(), text);
        if (body.isObject() && !scope.contentIds().isEmpty()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) body;
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (k.endsWith("@odata.bind") && o.get(k).isTextual() && o.get(k).asText().startsWith("$")) {
                    String target = scope.contentIds().get(o.get(k).asText());
                    if (target == null) {
                        throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Content-ID Reference: '" + o.get(k).asText() + "' does not exist in the batch context.");
                    }
                    o.put(k, target);
                }
            }
        }
        return body;
    }

    private String uriParentEntity(UriInfo uriInfo) {
        return entity((UriResourceEntitySet) uriInfo.getUriResourceParts().get(0)).logicalName();
    }

    @Override
    public void updateEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat, ContentType responseFormat) {
        if (request.getMethod() == HttpMethod.PUT) {
            throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "PUT is supported on single properties only; use PATCH to update a record.");
        }
        Target t = resolve(uriInfo.getUriResourceParts());
        if (t.id() == null) {
            throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "PATCH needs a record key.");
        }
        EntityMetadata e = t.entity();
        Payload payload = scope.payloads().read(e, withContentIdReferences(e, body(request)));
        UUID bodyId = payload.entity().id();
        if (bodyId != null && !bodyId.equals(t.id())) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The id in the body does not match the id in the URL.");
        }
        payload.entity().setId(t.id());
        payload.entity().remove(e.primaryIdAttribute());
        String ifMatch = request.getHeader(HttpHeader.IF_MATCH);
        String ifNoneMatch = request.getHeader(HttpHeader.IF_NONE_MATCH);
        UpsertMode mode = "*".equals(ifNoneMatch == null ? null : ifNoneMatch.trim()) ? UpsertMode.CREATE_ONLY
                : ifMatch != null ? UpsertMode.UPDATE_ONLY : UpsertMode.CREATE_OR_UPDATE;
        UpsertResult result = service().upsert(scope.caller(), payload, mode, version(ifMatch));
        respondWritten(request, response, uriInfo, e, result.id(), result.created(), jsonFormat(request, responseFormat));
    }

    @Override
    public void deleteEntity(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        Target t = resolve(uriInfo.getUriResourceParts());
        if (t.id() == null) {
            throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "DELETE needs a record key.");
        }
        service().delete(scope.caller(), t.entity().logicalName(), t.id(), version(request.getHeader(HttpHeader.IF_MATCH)));
        response.setStatusCode(HttpStatusCode.NO_CONTENT.getStatusCode());
        response.setHeader("OData-Version", "4.0");
    }

    private void respondWritten(ODataRequest request, ODataResponse response, UriInfoResource uri, EntityMetadata e, UUID id, boolean created,
                                JsonFormat json) {
        PreferHeader prefer = new PreferHeader(request.getHeaders("Prefer"));
        if (prefer.returnRepresentation()) {
            List<String> columns = QueryOptionTranslator.columns(e, uri);
            Entity row = service().retrieve(scope.caller(), e.logicalName(), id, withVersion(e, columns), prefer.annotations().needsLookupNames());
            writeRow(request, response, created ? HttpStatusCode.CREATED.getStatusCode() : HttpStatusCode.OK.getStatusCode(),
                    e, row, columns, uri, prefer, true, List.of(), json);
            return;
        }
        response.setStatusCode(HttpStatusCode.NO_CONTENT.getStatusCode());
        response.setHeader("OData-Version", "4.0");
        response.setHeader("OData-EntityId", entityId(request, e, id));
        response.setHeader("Location", entityId(request, e, id));
        if (request.getHeader("Content-ID") != null) {
            response.setHeader("Content-ID", request.getHeader("Content-ID"));
        }
    }

    private void writeRow(ODataRequest request, ODataResponse response, int status, EntityMetadata e, Entity row,
                          List<String> columns, UriInfoResource uri, PreferHeader prefer, boolean representation,
                          List<ExpandLoader.Expansion> expansions, JsonFormat json) {
        List<AttributeMetadata> attrs = e.columns(columns);
        String context = request.getRawBaseUri() + "/$metadata#" + e.entitySetName() + selectSuffix(uri, expansions) + "/$entity";
        applyPreferences(response, prefer, representation);
        Long version = e.clientVersioned() ? (Long) row.get("versionnumber") : null;
        if (version != null) {
            response.setHeader(HttpHeader.ETAG, RecordJsonWriter.etag(version));
        }
        writeJson(response, status, json.contentType(), g -> {
            if (json.controlInformation()) {
                g.writeStringField("@odata.context", context);
            }
            scope.writer().writeEntity(g, e, row, attrs, prefer.annotations(), false, json);
            writeExpanded(g, request, e, row, expansions, prefer.annotations(), json);
        });
    }

    /** The expanded navigation properties of one row, after its own properties; then full metadata's links for the others. */
    private void writeExpanded(com.fasterxml.jackson.core.JsonGenerator g, ODataRequest request, EntityMetadata e, Entity row,
                               List<ExpandLoader.Expansion> expansions, AnnotationFilter annotations, JsonFormat json) throws java.io.IOException {
        java.util.Set<String> expanded = new java.util.HashSet<>();
        for (ExpandLoader.Expansion declared : expansions) {
            expanded.add(declared.navigation);
            // ownerid (principal): the side, user or team, that holds this row's owner
            ExpandLoader.Expansion x = declared.alternates.stream().filter(a -> a.byParent.containsKey(row.id())).findFirst().orElse(declared);
            List<Entity> related = x.byParent.getOrDefault(row.id(), List.of());
            if (x.collection) {
                g.writeArrayFieldStart(x.navigation);
                for (Entity r : related) {
                    g.writeStartObject();
                    scope.writer().writeEntity(g, x.target, r, x.attributes, annotations, false, json);
                    writeExpanded(g, request, x.target, r, x.nested, annotations, json);
                    g.writeEndObject();
                }
                g.writeEndArray();
                String more = x.nextLink(request.getRawBaseUri(), row.id(), aliasParameters(request));
                if (more != null) {
                    g.writeStringField(x.navigation + "@odata.nextLink", more);
                }
            } else if (related.isEmpty()) {
                g.writeNullField(x.navigation);
            } else if (x.reference) {
                g.writeObjectFieldStart(x.navigation);
                g.writeStringField("@odata.id", entityId(request, x.target, related.get(0).id()));
                g.writeEndObject();
            } else {
                g.writeObjectFieldStart(x.navigation);
                if (!declared.alternates.isEmpty() && !json.full()) {
                    // a derived type of the declared principal names itself (full metadata always does)
                    g.writeStringField("@odata.type", "#" + CatalogEdmProvider.NAMESPACE + "." + x.target.logicalName());
                }
                if (!declared.alternates.isEmpty()) {
                    // principal's one property, which Dataverse answers for an expanded owner whichever its type
                    g.writeStringField("ownerid", related.get(0).id().toString());
                }
                scope.writer().writeEntity(g, x.target, related.get(0), x.attributes, annotations, false, json);
                writeExpanded(g, request, x.target, related.get(0), x.nested, annotations, json);
                g.writeEndObject();
            }
        }
        RecordJsonWriter.writeNavigationLinks(g, e, row, json, expanded);
    }

    /** The parameter aliases of the request as sent ({@code @p1=...}), which nested options may refer to. */
    private static List<String> aliasParameters(ODataRequest request) {
        List<String> out = new ArrayList<>();
        String query = request.getRawQueryPath();
        if (query != null && !query.isEmpty()) {
            for (String p : query.split("&")) {
                if (java.net.URLDecoder.decode(p, java.nio.charset.StandardCharsets.UTF_8).startsWith("@")) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static List<String> withVersion(EntityMetadata e, List<String> columns) {
        if (columns == null || !e.clientVersioned() || columns.contains("versionnumber")) {
            return columns;
        }
        List<String> c = new java.util.ArrayList<>(columns);
        c.add("versionnumber");
        return c;
    }

    private static String selectSuffix(UriInfoResource uri) {
        return selectSuffix(uri, List.of());
    }

    private static String selectSuffix(UriInfoResource uri, List<ExpandLoader.Expansion> expansions) {
        List<String> names = new ArrayList<>(QueryOptionTranslator.selectedNames(uri));
        expansions.forEach(x -> names.add(x.context()));
        return names.isEmpty() ? "" : "(" + String.join(",", names) + ")";
    }
}
