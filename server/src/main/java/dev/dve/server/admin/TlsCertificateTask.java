package dev.dve.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dve.fault.DataverseFault;
import dev.dve.fault.ErrorCode;
import dev.dve.server.tls.ServerCertificate;

import java.util.function.Supplier;

/** {@code GET /admin/tls/certificate}: the PEM of the certificate the HTTPS port serves, for clients to trust. Public. */
public final class TlsCertificateTask implements AdminTask {
    public static final String PEM = "application/x-pem-file";
    private final Supplier<ServerCertificate> certificate;

    /** @param certificate the node's certificate; null when it serves no HTTPS */
    public TlsCertificateTask(Supplier<ServerCertificate> certificate) {
        this.certificate = certificate;
    }

    @Override
    public AdminResponse handle(JsonNode body) {
        ServerCertificate c = certificate.get();
        if (c == null) {
            throw new DataverseFault(ErrorCode.RESOURCE_NOT_FOUND, "This node serves no HTTPS (--https-port 0), so it has no certificate.");
        }
        return AdminResponse.document(PEM, c.certificatePem());
    }
}
