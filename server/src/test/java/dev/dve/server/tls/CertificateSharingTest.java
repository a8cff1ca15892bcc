package dev.dve.server.tls;

import dev.dve.server.EmulatorConfig;
import dev.dve.server.EmulatorServer;
import dev.dve.server.testing.TestDatabases;
import dev.dve.server.testing.TrustedCertificate;
import dev.dve.server.testing.WebApi;
import dev.dve.server.testing.WebApi.Response;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which certificate a node serves: the one the first node on a database generated, or the PEM files it was given. */
class CertificateSharingTest {

    private static EmulatorConfig onFreshDatabase() {
        TestDatabases.Target db = TestDatabases.fresh();
        return EmulatorConfig.embedded().withDatabase(db.url(), db.user(), db.password());
    }

    private static String publishedPem(EmulatorServer node) {
        Response r = new WebApi(node.baseUrl()).get("/admin/tls/certificate");
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    @Test
    void everyNodeOnOneDatabaseServesTheCertificateTheFirstOneGenerated() throws Exception {
        EmulatorConfig config = onFreshDatabase().withHttpsPort(EmulatorConfig.ANY_FREE_PORT);
        try (EmulatorServer first = new EmulatorServer(config.withNodeId("tls-a")).start();
             EmulatorServer second = new EmulatorServer(config.withNodeId("tls-b")).start()) {
            String pem = publishedPem(first);
            assertEquals(pem, publishedPem(second));
            SSLContext trust = TrustedCertificate.trusting(pem);
            X509Certificate expected = TrustedCertificate.parse(pem).get(0);
            assertEquals(expected, TrustedCertificate.presentedAt(first.httpsBaseUrl() + "/admin/health", trust));
            assertEquals(expected, TrustedCertificate.presentedAt(second.httpsBaseUrl() + "/admin/health", trust),
                    "one downloaded PEM is trusted on every node");
        }
    }

    /** An RSA certificate for localhost and its key in the traditional OpenSSL form (PKCS#1), as openssl req -x509 writes them. */
    private static String[] rsaCertificateAndKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        X500Name name = new X500Name("CN=localhost, O=Given Certificate Test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), name, pair.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        StringWriter certPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(certPem)) {
            w.writeObject(cert);
        }
        StringWriter keyPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(keyPem)) {
            w.writeObject(pair);
        }
        return new String[]{certPem.toString(), keyPem.toString()};
    }

    @Test
    void givenPemFilesAreServedInsteadOfTheStoredCertificate(@TempDir Path dir) throws Exception {
        String[] given = rsaCertificateAndKey();
        assertTrue(given[1].startsWith("-----BEGIN RSA PRIVATE KEY-----"), given[1]);
        Path cert = Files.writeString(dir.resolve("cert.pem"), given[0] + given[1]);   // the key in the same file, as some tools write it
        Path key = Files.writeString(dir.resolve("key.pem"), given[1]);
        EmulatorConfig config = onFreshDatabase().withHttpsPort(EmulatorConfig.ANY_FREE_PORT).withTlsCertificate(cert, key);
        try (EmulatorServer node = new EmulatorServer(config).start()) {
            String pem = publishedPem(node);
            assertFalse(pem.contains("PRIVATE KEY"), "the published PEM holds the certificate only, never a key");
            X509Certificate expected = TrustedCertificate.parse(given[0]).get(0);
            assertEquals(expected, TrustedCertificate.parse(pem).get(0));
            assertEquals(expected, TrustedCertificate.presentedAt(node.httpsBaseUrl() + "/admin/health", TrustedCertificate.trusting(given[0])));
        }
    }

    @Test
    void badCertificateFilesStopTheNodeWithAMessageNamingThem(@TempDir Path dir) throws Exception {
        String[] given = rsaCertificateAndKey();
        String[] other = rsaCertificateAndKey();
        Path cert = Files.writeString(dir.resolve("cert.pem"), given[0]);
        Path key = Files.writeString(dir.resolve("key.pem"), given[1]);
        Path otherKey = Files.writeString(dir.resolve("other-key.pem"), other[1]);
        Path notPem = Files.writeString(dir.resolve("notes.txt"), "not a certificate");
        EmulatorConfig https = EmulatorConfig.embedded().withHttpsPort(EmulatorConfig.ANY_FREE_PORT);

        TlsSetupException missing = assertThrows(TlsSetupException.class,
                () -> new EmulatorServer(https.withTlsCertificate(dir.resolve("absent.pem"), key)).start());
        assertTrue(missing.getMessage().contains("--tls-cert " + dir.resolve("absent.pem")), missing.getMessage());

        TlsSetupException garbage = assertThrows(TlsSetupException.class, () -> new EmulatorServer(https.withTlsCertificate(notPem, key)).start());
        assertTrue(garbage.getMessage().contains("holds no PEM certificate"), garbage.getMessage());

        TlsSetupException noKey = assertThrows(TlsSetupException.class, () -> new EmulatorServer(https.withTlsCertificate(cert, notPem)).start());
        assertTrue(noKey.getMessage().contains("--tls-key " + notPem) && noKey.getMessage().contains("no PEM private key"), noKey.getMessage());

        TlsSetupException mismatch = assertThrows(TlsSetupException.class, () -> new EmulatorServer(https.withTlsCertificate(cert, otherKey)).start());
        assertTrue(mismatch.getMessage().contains("does not belong to the certificate"), mismatch.getMessage());
    }

    @Test
    void withHttpsOffThereIsNoListenerAndNoCertificate() throws Exception {
        EmulatorConfig config = onFreshDatabase();
        assertFalse(config.https().enabled(), "embedded nodes serve HTTP only unless asked");
        try (EmulatorServer node = new EmulatorServer(config).start()) {
            assertEquals(0, node.httpsPort());
            assertNull(node.httpsBaseUrl());
            Response r = new WebApi(node.baseUrl()).get("/admin/tls/certificate");
            assertEquals(404, r.status(), r.body());
            assertTrue(r.errorMessage().contains("serves no HTTPS"), r.body());
        }
    }
}
