package dev.dve.server.odata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.OneToManyRelationship;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.processor.ReferenceProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceKind;
import org.apache.olingo.server.api.uri.UriResourceNavigation;

import java.util.List;
import java.util.UUID;

/**
 * Associate and disassociate with {@code $ref}: {@code PUT accounts(<id>)/primarycontactid/$ref}, {@code POST
 * accounts(<id>)/contact_customer_accounts/$ref} with {@code {"@odata.id": …}}, and {@code DELETE} of either. Each is an
 * update of the lookup through the organization service, so privileges and workflows apply as to any update.
 */
final class ReferenceRequestProcessor extends DataverseProcessor implements ReferenceProcessor {

    ReferenceRequestProcessor(RequestScope scope) {
        super(scope);
    }

    private record Path(EntityMetadata parent, UUID parentId, UriResourceNavigation nav, OneToManyRelationship relationship) {
    }

    private Path path(UriInfo uriInfo) {
        List<UriResource> parts = uriInfo.getUriResourceParts().stream().filter(p -> p.getKind() != UriResourceKind.ref).toList();
        if (parts.size() != 2 || !(parts.get(0) instanceof UriResourceEntitySet set) || !(parts.get(1) instanceof UriResourceNavigation nav)) {
            throw DataverseFault.query("$ref is supported on a record's navigation property.");
        }
        EntityMetadata parent = entity(set);
        UUID id = key(parent, set.getKeyPredicates());
        String name = nav.getProperty().getName();
        OneToManyRelationship r = nav.getProperty().isCollection() ? scope.runtime().catalog().relationship(name, parent.logicalName()).orElseThrow()
                : scope.runtime().catalog().manyToOne(parent.logicalName()).stream().filter(x -> x.referencingNavigation().equals(name)).findFirst().orElseThrow();
        return new Path(parent, id, nav, r);
    }

    /** The record a single-valued navigation property is set to: of its entity, or for ownerid a user or a team. */
    private EntityReference referenced(ODataRequest request, Path p) {
        List<String> allowed = scope.runtime().catalog().navigationTargets(p.parent().logicalName(), p.relationship().referencingNavigation())
                .stream().map(OneToManyRelationship::referencedEntity).toList();
        return target(request, allowed);
    }

    private EntityReference target(ODataRequest request, String expectedEntity) {
        return target(request, List.of(expectedEntity));
    }

    private EntityReference target(ODataRequest request, List<String> expectedEntities) {
        JsonNode body = scope.payloads().parse("$ref", body(request));
        String url = body.path("@odata.id").asText(null);
        if (url == null) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "The body of a $ref request needs \"@odata.id\".");
        }
        EntityReference ref = scope.payloads().parseEntityId(url).orElseThrow(() ->
                new DataverseFault(ErrorCode.INVALID_ARGUMENT, "'" + url + "' is not the URL of a record."));
        if (!expectedEntities.contains(ref.logicalName())) {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "A '" + ref.logicalName() + "' cannot be associated through this navigation property.");
        }
        return ref;
    }

    @Override
    public void readReference(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Path p = path(uriInfo);
        if (p.nav().getProperty().isCollection()) {
            throw DataverseFault.query("Reading $ref of a collection is not supported.");
        }
        Entity row = service().retrieve(scope.caller(), p.parent().logicalName(), p.parentId(), List.of(p.relationship().referencingAttribute()), false);
        if (!(row.get(p.relationship().referencingAttribute()) instanceof EntityReference r) || scope.runtime().catalog()
                .navigationTargets(p.parent().logicalName(), p.relationship().referencingNavigation()).stream().noneMatch(x -> x.referencedEntity().equals(r.logicalName()))) {
            response.setStatusCode(HttpStatusCode.NO_CONTENT.getStatusCode());
            return;
        }
        EntityMetadata target = scope.runtime().catalog().require(r.logicalName());
        writeJson(response, HttpStatusCode.OK.getStatusCode(), g -> {
            g.writeStringField("@odata.context", request.getRawBaseUri() + "/$metadata#$ref");
            g.writeStringField("@odata.id", entityId(request, target, r.id()));
        });
    }

    @Override
    public void createReference(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Path p = path(uriInfo);
        if (!p.nav().getProperty().isCollection()) {
            updateReference(request, response, uriInfo, format);
            return;
        }
        EntityReference child = target(request, p.relationship().referencingEntity());
        service().update(scope.caller(), new Entity(child.logicalName(), child.id())
                .set(p.relationship().referencingAttribute(), new EntityReference(p.parent().logicalName(), p.parentId())), null);
        noContent(response);
    }

    @Override
    public void updateReference(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Path p = path(uriInfo);
        if (p.nav().getProperty().isCollection()) {
            throw new DataverseFault(ErrorCode.METHOD_NOT_ALLOWED, "Use POST to add to a collection-valued navigation property.");
        }
        EntityReference ref = referenced(request, p);
        service().update(scope.caller(), new Entity(p.parent().logicalName(), p.parentId()).set(p.relationship().referencingAttribute(), ref), null);
        noContent(response);
    }

    @Override
    public void deleteReference(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        Path p = path(uriInfo);
        if (!p.nav().getProperty().isCollection()) {
            service().update(scope.caller(), new Entity(p.parent().logicalName(), p.parentId()).set(p.relationship().referencingAttribute(), null), null);
            noContent(response);
            return;
        }
        EntityMetadata child = scope.runtime().catalog().require(p.relationship().referencingEntity());
        UUID childId;
        if (!p.nav().getKeyPredicates().isEmpty()) {
            childId = key(child, p.nav().getKeyPredicates());
        } else if (uriInfo.getIdOption() != null) {
            childId = scope.payloads().parseEntityId(uriInfo.getIdOption().getValue()).map(EntityReference::id)
                    .orElseThrow(() -> new DataverseFault(ErrorCode.INVALID_ARGUMENT, "$id must be the URL of a record."));
        } else {
            throw new DataverseFault(ErrorCode.INVALID_ARGUMENT, "Name the record to disassociate in the path or with $id.");
        }
        Entity row = service().retrieve(scope.caller(), child.logicalName(), childId, List.of(p.relationship().referencingAttribute()), false);
        if (!(row.get(p.relationship().referencingAttribute()) instanceof EntityReference r) || !r.id().equals(p.parentId())) {
            throw DataverseFault.notFound(child.logicalName(), childId);
        }
        service().update(scope.caller(), new Entity(child.logicalName(), childId).set(p.relationship().referencingAttribute(), null), null);
        noContent(response);
    }

    private static void noContent(ODataResponse response) {
        response.setStatusCode(HttpStatusCode.NO_CONTENT.getStatusCode());
        response.setHeader("OData-Version", "4.0");
    }
}
