package dev.dve.server.clients;

import dev.dve.server.testing.EmulatorTest;
import org.apache.olingo.client.api.ODataClient;
import org.apache.olingo.client.api.communication.ODataClientErrorException;
import org.apache.olingo.client.api.communication.request.ODataRequest;
import org.apache.olingo.client.api.communication.request.batch.BatchManager;
import org.apache.olingo.client.api.communication.request.batch.ODataBatchRequest;
import org.apache.olingo.client.api.communication.request.batch.ODataBatchResponseItem;
import org.apache.olingo.client.api.communication.request.batch.ODataChangeset;
import org.apache.olingo.client.api.communication.request.cud.ODataEntityCreateRequest;
import org.apache.olingo.client.api.communication.request.cud.UpdateType;
import org.apache.olingo.client.api.communication.request.retrieve.ODataEntitySetRequest;
import org.apache.olingo.client.api.communication.response.ODataBatchResponse;
import org.apache.olingo.client.api.communication.response.ODataEntityCreateResponse;
import org.apache.olingo.client.api.communication.response.ODataResponse;
import org.apache.olingo.client.api.communication.response.ODataRetrieveResponse;
import org.apache.olingo.client.api.domain.ClientEntity;
import org.apache.olingo.client.api.domain.ClientEntitySet;
import org.apache.olingo.client.api.domain.ClientObjectFactory;
import org.apache.olingo.client.api.domain.ClientPrimitiveValue;
import org.apache.olingo.client.core.ODataClientFactory;
import org.apache.olingo.commons.api.edm.Edm;
import org.apache.olingo.commons.api.edm.EdmEntityType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Apache Olingo OData client (odata-client-core 5), unchanged and with its defaults (JSON with full metadata),
 * against the emulator: $metadata, typed reads, create, update, $filter, delete and $batch.
 */
class OlingoClientTest extends EmulatorTest {
    private static final String NS = "Microsoft.Dynamics.CRM";
    private final ODataClient client = ODataClientFactory.getClient();
    private String serviceRoot;
    private String bearer;

    @BeforeAll
    void signIn() {
        serviceRoot = server.baseUrl() + "/api/data/v9.2";
        bearer = "Bearer " + anonymous.clientCredentialsToken(APP_CLIENT_ID, APP_SECRET);
    }

    private <R extends ODataRequest> R signed(R request) {
        request.addCustomHeader("Authorization", bearer);
        return request;
    }

    private URI accounts() {
        return client.newURIBuilder(serviceRoot).appendEntitySetSegment("accounts").build();
    }

    private URI account(UUID id) {
        return client.newURIBuilder(serviceRoot).appendEntitySetSegment("accounts").appendKeySegment(id).build();
    }

    private ClientEntity newAccount(String name) {
        ClientObjectFactory f = client.getObjectFactory();
        ClientEntity e = f.newEntity(new FullQualifiedName(NS, "account"));
        e.getProperties().add(f.newPrimitiveProperty("name", f.newPrimitiveValueBuilder().buildString(name)));
        return e;
    }

    private ClientEntity read(UUID id) {
        ODataRetrieveResponse<ClientEntity> r = signed(client.getRetrieveRequestFactory().getEntityRequest(account(id))).execute();
        assertEquals(200, r.getStatusCode());
        return r.getBody();
    }

    @Test
    void metadataDescribesTheEntityTypesWithTheirKeys() {
        ODataRetrieveResponse<Edm> r = signed(client.getRetrieveRequestFactory().getMetadataRequest(serviceRoot)).execute();
        assertEquals(200, r.getStatusCode());
        Edm edm = r.getBody();
        for (String[] typeAndKey : new String[][] {{"account", "accountid"}, {"workflow", "workflowid"}, {"asyncoperation", "asyncoperationid"}}) {
            EdmEntityType type = edm.getEntityType(new FullQualifiedName(NS, typeAndKey[0]));
            assertNotNull(type, typeAndKey[0]);
            assertEquals(List.of(typeAndKey[1]), type.getKeyPredicateNames(), typeAndKey[0]);
            assertEquals(EdmPrimitiveTypeKind.Guid.getFullQualifiedName(), type.getStructuralProperty(typeAndKey[1]).getType().getFullQualifiedName());
        }
        assertEquals(EdmPrimitiveTypeKind.DateTimeOffset.getFullQualifiedName(),
                edm.getEntityType(new FullQualifiedName(NS, "account")).getStructuralProperty("createdon").getType().getFullQualifiedName());
        assertNotNull(edm.getEntityContainer().getEntitySet("accounts"));
    }

    @Test
    void createReadUpdateQueryAndDeleteWithTypedValues() throws Exception {
        ODataEntityCreateRequest<ClientEntity> create = signed(client.getCUDRequestFactory().getEntityCreateRequest(accounts(), newAccount("Olingo Ltd")));
        create.setPrefer(client.newPreferences().returnRepresentation());
        ODataEntityCreateResponse<ClientEntity> created = create.execute();
        assertEquals(201, created.getStatusCode());
        ClientPrimitiveValue idValue = created.getBody().getProperty("accountid").getPrimitiveValue();
        assertEquals(EdmPrimitiveTypeKind.Guid, idValue.getTypeKind(), "full metadata types the key");
        UUID id = idValue.toCastValue(UUID.class);

        ClientEntity read = read(id);
        assertEquals(new FullQualifiedName(NS, "account"), read.getTypeName());
        assertEquals(account(id).toString(), read.getId().toString());
        assertNotNull(read.getETag());
        assertEquals(EdmPrimitiveTypeKind.Guid, read.getProperty("accountid").getPrimitiveValue().getTypeKind());
        assertEquals(id, read.getProperty("accountid").getPrimitiveValue().toCastValue(UUID.class));
        assertEquals(EdmPrimitiveTypeKind.DateTimeOffset, read.getProperty("createdon").getPrimitiveValue().getTypeKind());
        assertNotNull(read.getProperty("createdon").getPrimitiveValue().toCastValue(java.sql.Timestamp.class));
        assertEquals(EdmPrimitiveTypeKind.Int64, read.getProperty("versionnumber").getPrimitiveValue().getTypeKind());
        assertEquals(EdmPrimitiveTypeKind.String, read.getProperty("name").getPrimitiveValue().getTypeKind());
        assertEquals("Olingo Ltd", read.getProperty("name").getPrimitiveValue().toString());
        assertTrue(read.getNavigationLink("primarycontactid") != null, "navigation links of full metadata");

        ClientObjectFactory f = client.getObjectFactory();
        ClientEntity changes = f.newEntity(new FullQualifiedName(NS, "account"));
        changes.getProperties().add(f.newPrimitiveProperty("telephone1", f.newPrimitiveValueBuilder().buildString("555-OLINGO")));
        changes.getProperties().add(f.newPrimitiveProperty("creditlimit",
                f.newPrimitiveValueBuilder().setType(EdmPrimitiveTypeKind.Decimal).setValue(new java.math.BigDecimal("1500.25")).build()));
        assertEquals(204, signed(client.getCUDRequestFactory().getEntityUpdateRequest(account(id), UpdateType.PATCH, changes)).execute().getStatusCode());
        ClientEntity updated = read(id);
        assertEquals("555-OLINGO", updated.getProperty("telephone1").getPrimitiveValue().toString());
        assertEquals(EdmPrimitiveTypeKind.Decimal, updated.getProperty("creditlimit").getPrimitiveValue().getTypeKind());
        assertEquals(0, new java.math.BigDecimal("1500.25").compareTo(updated.getProperty("creditlimit").getPrimitiveValue().toCastValue(java.math.BigDecimal.class)));

        URI query = client.newURIBuilder(serviceRoot).appendEntitySetSegment("accounts").filter("telephone1 eq '555-OLINGO'")
                .select("name", "telephone1").build();
        ClientEntitySet found = signed(client.getRetrieveRequestFactory().getEntitySetRequest(query)).execute().getBody();
        assertEquals(1, found.getEntities().size());
        assertEquals("Olingo Ltd", found.getEntities().get(0).getProperty("name").getPrimitiveValue().toString());

        assertEquals(204, signed(client.getCUDRequestFactory().getDeleteRequest(account(id))).execute().getStatusCode());
        ODataClientErrorException gone = assertThrows(ODataClientErrorException.class, () -> read(id));
        assertEquals(404, gone.getStatusLine().getStatusCode());
    }

    @Test
    void batchWithAChangeSetAndAQueryOutsideIt() {
        ODataBatchRequest batch = signed(client.getBatchRequestFactory().getBatchRequest(serviceRoot));
        BatchManager payload = batch.payloadManager();
        ODataChangeset changeset = payload.addChangeset();
        changeset.addRequest(client.getCUDRequestFactory().getEntityCreateRequest(accounts(), newAccount("Olingo batch 1")));
        changeset.addRequest(client.getCUDRequestFactory().getEntityCreateRequest(accounts(), newAccount("Olingo batch 2")));
        URI query = client.newURIBuilder(serviceRoot).appendEntitySetSegment("accounts").filter("startswith(name,'Olingo batch')")
                .select("name").orderBy("name").build();
        ODataEntitySetRequest<ClientEntitySet> get = client.getRetrieveRequestFactory().getEntitySetRequest(query);
        payload.addRequest(get);
        ODataBatchResponse response = payload.getResponse();
        assertEquals(200, response.getStatusCode());

        Iterator<ODataBatchResponseItem> items = response.getBody();
        ODataBatchResponseItem changes = items.next();
        assertTrue(changes.isChangeset());
        List<Integer> statuses = new ArrayList<>();
        while (changes.hasNext()) {
            statuses.add(changes.next().getStatusCode());
        }
        assertEquals(2, statuses.size(), "two answers in the change set");
        assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 204), statuses.toString());

        ODataBatchResponseItem outside = items.next();
        assertFalse(outside.isChangeset());
        ODataResponse answer = outside.next();
        assertEquals(200, answer.getStatusCode());
        @SuppressWarnings("unchecked")
        ClientEntitySet rows = ((ODataRetrieveResponse<ClientEntitySet>) answer).getBody();
        assertEquals(List.of("Olingo batch 1", "Olingo batch 2"),
                rows.getEntities().stream().map(e -> e.getProperty("name").getPrimitiveValue().toString()).toList());
        assertFalse(items.hasNext());
        assertEquals(2, api.get("accounts?$count=true&$filter=startswith(name,'Olingo%20batch')").json().path("@odata.count").asInt());
    }
}
