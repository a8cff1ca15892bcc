package dev.dve.engine.webhook;

import dev.dve.auth.WellKnownPrincipals;
import dev.dve.engine.organization.OrganizationService;
import dev.dve.engine.async.HttpCallFailure;
import dev.dve.engine.async.JobExecution;
import dev.dve.engine.async.JobHandler;
import dev.dve.engine.async.JobOutcome;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs webhook jobs ({@code operationtype} 1) for the async service: POSTs the context the job was queued with to the
 * step's service endpoint, authenticated as the endpoint says, outside any transaction. A 2xx answer succeeds (and
 * deletes the job when the step has {@code asyncautodelete}); no connection or no answer in time, a 401 and any other
 * answer are the {@link HttpCallFailure}s the async service retries or suspends by the "other system job" column. A
 * step or endpoint deleted meanwhile fails the job, as any other failed SDK call of a system job does.
 */
public final class WebhookDelivery implements JobHandler {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Dataverse waits 60 seconds for a webhook's answer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private final OrganizationService service;
    // HTTP/1.1 as Dataverse speaks it: a cleartext HTTP/2 upgrade would surprise some receivers
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public WebhookDelivery(OrganizationService service) {
        this.service = service;
    }

    @Override
    public int operationType() {
        return WebhookTrigger.OPERATION_SYSTEM_EVENT;
    }

    @Override
    public JobOutcome run(JobExecution execution) {
        Entity job = execution.job();
        if (!(job.get("owningextensionid") instanceof EntityReference stepRef)) {
            throw new IllegalStateException("system event job " + job.id() + " names no step: only WebhookTrigger queues these");
        }
        Entity step = service.retrieve(WellKnownPrincipals.SYSTEM, "sdkmessageprocessingstep", stepRef.id(),
                List.of("eventhandler", "asyncautodelete"), false);
        EntityReference handler = (EntityReference) step.get("eventhandler");
        Entity endpoint = service.retrieve(WellKnownPrincipals.SYSTEM, "serviceendpoint", handler.id(),
                List.of("url", "authtype", "authvalue"), false);
        WebhookAuthentication auth = WebhookAuthentication.of((Integer) endpoint.get("authtype"), (String) endpoint.get("authvalue"));
        HttpRequest request = request(auth.target((String) endpoint.get("url")), auth.headers(), job);
        int status = post(request);
        if (status >= 200 && status < 300) {
            return new JobOutcome.Succeeded(Boolean.TRUE.equals(step.get("asyncautodelete")));
        }
        throw new HttpCallFailure(status == 401 ? HttpCallFailure.Kind.UNAUTHORIZED : HttpCallFailure.Kind.HTTP,
                "The webhook at " + request.uri().getHost() + " answered HTTP " + status + ".");
    }

    private HttpRequest request(URI target, Map<String, String> authHeaders, Entity job) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                // the headers Dataverse adds to every webhook call
                .header("x-ms-dynamics-organization", organizationName())
                .header("x-ms-dynamics-entity-name", String.valueOf(job.get("primaryentitytype")))
                .header("x-ms-dynamics-request-name", String.valueOf(job.get("messagename")))
                .header("x-ms-correlation-request-id", String.valueOf(job.get("correlationid")));
        for (Map.Entry<String, String> h : authHeaders.entrySet()) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                // a header name HTTP forbids or the client reserves (Host, Content-Length …): the registration is wrong
                throw WebhookAuthentication.misconfigured("the header '" + h.getKey() + "' cannot be sent: " + e.getMessage());
            }
        }
        return b.POST(HttpRequest.BodyPublishers.ofString((String) job.get("data"))).build();
    }

    /** Sends the call; answers the status, or throws a network failure when there was no answer. */
    private int post(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            // refused, reset, unknown host, or no answer within the timeout (HttpTimeoutException is an IOException)
            throw new HttpCallFailure(HttpCallFailure.Kind.NETWORK, "An error occurred while sending the webhook request to "
                    + request.uri().getHost() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpCallFailure(HttpCallFailure.Kind.NETWORK, "The webhook request was interrupted: the node is stopping.");
        }
    }

    /** The organization's name stands in for the environment's domain name, which the engine does not know. */
    private String organizationName() {
        var id = service.organizationId();
        Object name = id == null ? null : service.retrieve(WellKnownPrincipals.SYSTEM, "organization", id, List.of("name"), false).get("name");
        return name == null ? "" : name.toString();
    }
}
