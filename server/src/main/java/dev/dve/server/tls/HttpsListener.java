package dev.dve.server.tls;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The HTTPS connector: the same handlers as the HTTP one, behind TLS with the node's certificate. */
public final class HttpsListener {
    private HttpsListener() {
    }

    /** A connector on {@code host:port} (port 0: a free one) serving {@code certificate}; add it to the server before starting it. */
    public static ServerConnector connector(Server jetty, ServerCertificate certificate, String host, int port) {
        // the key store lives only in memory; its password protects nothing and is never shown
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certificate.keyStore(password.toCharArray()));
        tls.setKeyStorePassword(password);
        tls.setKeyManagerPassword(password);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // a client that names a host the certificate does not cover fails its own check; the server need not refuse it too
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
