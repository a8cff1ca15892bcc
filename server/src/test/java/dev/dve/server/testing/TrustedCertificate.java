package dev.dve.server.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A client's trust in the emulator's certificate, built the way a user does it: the PEM of
 * {@code GET /admin/tls/certificate} put into a trust store (what {@code keytool -importcert} does).
 */
public final class TrustedCertificate {
    private TrustedCertificate() {
    }

    /** The certificates of a PEM text. */
    public static List<X509Certificate> parse(String pem) {
        try {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return all.stream().map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a PEM certificate: " + pem, e);
        }
    }

    /** A TLS context that trusts exactly the certificates of this PEM. */
    public static SSLContext trusting(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : parse(pem)) {
                store.setCertificateEntry("dve-" + i++, c);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate a server presents in the TLS handshake at this HTTPS URL, to a client trusting {@code tls}. */
    public static X509Certificate presentedAt(String httpsUrl, SSLContext tls) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
        try {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(httpsUrl)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
