package dev.dve.server.webapi;

import dev.dve.server.testing.EmulatorTest;
import dev.dve.server.testing.WebApi.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** $ref associate and disassociate, single- and collection-valued. */
class ReferenceTest extends EmulatorTest {
    private static final String CONTOSO = "00000000-0000-0000-0000-00000000ac01";
    private static final String FABRIKAM = "00000000-0000-0000-0000-00000000ac02";
    private static final String SUSANNA = "00000000-0000-0000-0000-00000000c002";

    private String parentOf(String contact) {
        return api.get("contacts(" + contact + ")?$select=_parentcustomerid_value").json().path("_parentcustomerid_value").asText();
    }

    @Test
    void singleValued() {
        assertEquals(204, api.put("accounts(" + FABRIKAM + ")/primarycontactid/$ref", "{\"@odata.id\":\"" + api.api() + "contacts(" + SUSANNA + ")\"}").status());
        assertEquals(SUSANNA, api.get("accounts(" + FABRIKAM + ")?$select=_primarycontactid_value").json().path("_primarycontactid_value").asText());
        Response read = api.get("accounts(" + FABRIKAM + ")/primarycontactid/$ref");
        assertEquals(api.api() + "contacts(" + SUSANNA + ")", read.json().path("@odata.id").asText());
        assertEquals(204, api.delete("accounts(" + FABRIKAM + ")/primarycontactid/$ref").status());
        assertTrue(api.get("accounts(" + FABRIKAM + ")?$select=_primarycontactid_value").json().path("_primarycontactid_value").isNull());
        Response wrongType = api.put("accounts(" + FABRIKAM + ")/primarycontactid/$ref", "{\"@odata.id\":\"accounts(" + CONTOSO + ")\"}");
        assertEquals(400, wrongType.status());
    }

    @Test
    void collectionValued() {
        assertEquals(FABRIKAM, parentOf(SUSANNA));
        assertEquals(204, api.post("accounts(" + CONTOSO + ")/contact_customer_accounts/$ref", "{\"@odata.id\":\"contacts(" + SUSANNA + ")\"}").status());
        assertEquals(CONTOSO, parentOf(SUSANNA));
        assertEquals(2, api.get("accounts(" + CONTOSO + ")/contact_customer_accounts").json().path("value").size());
        assertEquals(404, api.delete("accounts(" + FABRIKAM + ")/contact_customer_accounts(" + SUSANNA + ")/$ref").status(), "not associated there");
        assertEquals(204, api.delete("accounts(" + CONTOSO + ")/contact_customer_accounts(" + SUSANNA + ")/$ref").status());
        assertTrue(api.get("contacts(" + SUSANNA + ")?$select=_parentcustomerid_value").json().path("_parentcustomerid_value").isNull());
        assertEquals(403, as("basic@emulator.local").post("accounts(" + CONTOSO + ")/contact_customer_accounts/$ref",
                "{\"@odata.id\":\"contacts(" + SUSANNA + ")\"}").status(), "associating is an update: privileges apply");
    }
}
