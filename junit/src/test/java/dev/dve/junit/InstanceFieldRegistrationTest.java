package dev.dve.junit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Registered on an instance field (a new extension for every test, as JUnit does): each test gets an emulator of its own, stopped after it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceFieldRegistrationTest {
    private static String firstBaseUrl;

    @RegisterExtension
    DataverseEmulatorExtension dve = DataverseEmulatorExtension.builder().build();

    @Test
    @Order(1)
    void startsOnFirstUse(DataverseEmulatorRuntime injected) {
        firstBaseUrl = dve.baseUrl();
        assertEquals(firstBaseUrl, injected.baseUrl());
        assertEquals(201, new WebApiClient(dve.webApiUrl(), dve.runtime().applicationUserToken()).post("accounts", "{\"name\":\"Per test\"}").status());
    }

    @Test
    @Order(2)
    void theNextTestHasAnotherAndTheFirstIsStopped() {
        assertNotEquals(firstBaseUrl, dve.baseUrl());
        assertEquals(3, new WebApiClient(dve.webApiUrl(), dve.runtime().applicationUserToken()).get("accounts?$count=true").json().path("@odata.count").asInt());
        HttpRequest health = HttpRequest.newBuilder(URI.create(firstBaseUrl + "/admin/health")).timeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.ofString()));
    }
}
