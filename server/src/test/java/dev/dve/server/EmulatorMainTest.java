package dev.dve.server;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's HTTPS options, read into the configuration without starting a node. */
class EmulatorMainTest {

    private static EmulatorConfig parse(String... args) {
        EmulatorMain main = new EmulatorMain();
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void httpsIsOnPort5556ByDefault() {
        Assumptions.assumeTrue(System.getenv("DVE_HTTPS_PORT") == null, "DVE_HTTPS_PORT is set in this environment");
        EmulatorConfig c = parse();
        assertTrue(c.https().enabled());
        assertEquals(5556, c.https().httpsPort());
        assertEquals(null, c.https().certificate());
    }

    @Test
    void httpsPortZeroTurnsHttpsOff() {
        assertFalse(parse("--https-port", "0").https().enabled());
    }

    @Test
    void certificateFilesAndPort() {
        EmulatorConfig c = parse("--https-port", "8443", "--tls-cert", "cert.pem", "--tls-key", "key.pem");
        assertEquals(8443, c.https().httpsPort());
        assertEquals(Path.of("cert.pem"), c.https().certificate());
        assertEquals(Path.of("key.pem"), c.https().privateKey());
    }

    @Test
    void aCertificateWithoutItsKeyOrABadPortIsAUsageError() {
        assertThrows(CommandLine.ParameterException.class, () -> parse("--tls-cert", "cert.pem"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--https-port", "-1"));
        StringWriter err = new StringWriter();
        int code = new CommandLine(new EmulatorMain()).setErr(new PrintWriter(err)).execute("--tls-key", "key.pem");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--tls-cert and --tls-key go together"), err.toString());
    }

    @Test
    void anUnreadableCertificateFileEndsTheProgramWithItsName() {
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            // the files are read before any port is bound or database opened; a regression would start a node, hence the bound
            code = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> new CommandLine(new EmulatorMain()).execute("--port", "0", "--https-port", "5556", "--workers", "0",
                            "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"));
        } finally {
            System.setErr(before);
        }
        String printed = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, code, printed);
        assertTrue(printed.contains("cannot start: --tls-cert /nonexistent/cert.pem: cannot read the file"), printed);
    }
}
