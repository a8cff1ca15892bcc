package dev.dve.server.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The certificate (with its chain) and private key the HTTPS listener serves: read from PEM, or generated as a
 * self-signed certificate for the emulator's host names. The generated one is its own CA ({@code CA:true}), so a
 * client that trusts its PEM ({@code NODE_EXTRA_CA_CERTS}, a Java truststore, {@code curl --cacert}) accepts it.
 */
public final class ServerCertificate {
    /** How long a generated certificate is valid: the longest period Apple platforms accept for a TLS server certificate. */
    public static final Duration VALIDITY = Duration.ofDays(825);
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;

    private ServerCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
    }

    /** Reads the PEM files given with {@code --tls-cert}/{@code --tls-key}; a problem is a {@link TlsSetupException} naming the file. */
    public static ServerCertificate read(Path certificateFile, Path keyFile) {
        return parse(readFile(certificateFile, "--tls-cert"), readFile(keyFile, "--tls-key"),
                "--tls-cert " + certificateFile, "--tls-key " + keyFile);
    }

    private static String readFile(Path file, String option) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new TlsSetupException(option + " " + file + ": cannot read the file (" + e + ")", e);
        }
    }

    /**
     * The certificates of a PEM text (the server's first, then its chain) and the private key of another (PKCS#8,
     * PKCS#1 RSA or SEC1 EC, unencrypted), which must belong to the first certificate. {@code certificateSource} and
     * {@code keySource} name the texts in error messages.
     */
    public static ServerCertificate parse(String certificatePem, String keyPem, String certificateSource, String keySource) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(certificatePem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsSetupException(certificateSource + ": not a readable PEM certificate (" + e.getMessage() + ")", e);
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException(certificateSource + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key = null;
        try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
            for (Object o = parser.readObject(); o != null && key == null; o = parser.readObject()) {
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsSetupException(keySource + ": the private key is encrypted; give it unencrypted (e.g. openssl pkey -in key.pem -out plain.pem)");
                }
                if (o instanceof PEMKeyPair pair) {
                    key = privateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    key = privateKey(info);
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof TlsSetupException t) {
                throw t;
            }
            throw new TlsSetupException(keySource + ": not a readable PEM private key (" + e.getMessage() + ")", e);
        }
        if (key == null) {
            throw new TlsSetupException(keySource + ": holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (!belongTogether(chain.get(0), key)) {
            throw new TlsSetupException(keySource + ": this private key does not belong to the certificate of " + certificateSource);
        }
        return new ServerCertificate(chain, key);
    }

    private static PrivateKey privateKey(PrivateKeyInfo info) throws IOException, GeneralSecurityException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String name;
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            name = "RSA";
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            name = "EC";
        } else {
            throw new GeneralSecurityException("unsupported key algorithm " + algorithm + " (use an RSA or EC key)");
        }
        return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
        String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] probe = "dataverse-emulator".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A new self-signed certificate (EC P-256, its own CA) whose subject alternative names are the given host names
     * and IP addresses, valid from a day before {@code now} for {@link #VALIDITY}.
     */
    public static ServerCertificate selfSigned(Collection<String> hosts, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            BigInteger serial = new BigInteger(127, new SecureRandom()).setBit(126);
            X500Name name = new X500Name("CN=Dataverse Emulator " + serial.toString(16).substring(0, 8) + ", O=Dataverse Emulator");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial, Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(hosts));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(pair.getPublic()));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new ServerCertificate(List.of(new JcaX509CertificateConverter().getCertificate(holder)), pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Cannot generate the HTTPS certificate", e);
        }
    }

    private static GeneralNames subjectAlternativeNames(Collection<String> hosts) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String h : hosts) {
            distinct.add(bare(h));
        }
        List<GeneralName> names = new ArrayList<>();
        for (String h : distinct) {
            names.add(new GeneralName(isIpAddress(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static String bare(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static boolean isIpAddress(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** Whether the certificate names this host (DNS name or IP address) among its subject alternative names. */
    public boolean covers(String host) {
        String wanted = bare(host);
        try {
            Collection<List<?>> names = chain.get(0).getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            for (List<?> n : names) {
                Object value = n.get(1);
                if (value instanceof String s && (s.equalsIgnoreCase(wanted)
                        || isIpAddress(wanted) && isIpAddress(s) && sameAddress(s, wanted))) {
                    return true;
                }
            }
            return false;
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The server's certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    /** The certificate and its chain as PEM: what a client trusts, published at {@code GET /admin/tls/certificate}. */
    public String certificatePem() {
        StringWriter out = new StringWriter();
        try (PemWriter pem = new PemWriter(out)) {
            for (X509Certificate c : chain) {
                pem.writeObject(new PemObject("CERTIFICATE", c.getEncoded()));
            }
        } catch (IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("Cannot encode the HTTPS certificate", e);
        }
        return out.toString();
    }

    /** The private key as PKCS#8 PEM (kept in the database so every node serves the same certificate). */
    public String privateKeyPem() {
        StringWriter out = new StringWriter();
        try (PemWriter pem = new PemWriter(out)) {
            pem.writeObject(new PemObject("PRIVATE KEY", privateKey.getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode the HTTPS private key", e);
        }
        return out.toString();
    }

    /** An in-memory key store holding the key and chain, for the TLS listener. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("dataverse-emulator", privateKey, password, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot hold the HTTPS certificate in a key store", e);
        }
    }
}
