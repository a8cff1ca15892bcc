package dev.dve.server.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code clients/python} (real Python client libraries, pinned in its {@code requirements.txt}) with
 * {@code python3} against a running emulator. Without Python or the packages (a script exits 3 when an import fails)
 * the test is skipped, as {@link NodeClients} does; with {@code DVE_REQUIRE_CLIENTS=1} (CI) that is a failure instead.
 */
public final class PythonClients {
    /** The exit code a script answers when its packages are not installed. */
    public static final int NOT_INSTALLED = 3;

    private PythonClients() {
    }

    /** Runs {@code python3 <script>} in {@code clients/python} with the given environment added; bounded to two minutes. */
    public static NodeClients.Run run(String script, Map<String, String> env) throws IOException, InterruptedException {
        Path dir = NodeClients.directory().resolveSibling("python");
        boolean required = "1".equals(System.getenv("DVE_REQUIRE_CLIENTS"));
        String why = "Python client packages not installed (python3 -m pip install -r clients/python/requirements.txt)";
        ProcessBuilder pb = new ProcessBuilder(List.of(System.getenv().getOrDefault("DVE_PYTHON", "python3"), script)).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("python-out", ".txt");
        Path err = Files.createTempFile("python-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        try {
            Process process;
            try {
                process = pb.start();
            } catch (IOException noPython) {
                skipOrFail(required, why + ": " + noPython.getMessage());
                throw noPython;
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("python3 " + script + " did not finish within two minutes:\n" + Files.readString(out) + Files.readString(err));
            }
            NodeClients.Run run = new NodeClients.Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            if (run.exitCode() == NOT_INSTALLED) {
                skipOrFail(required, why + ": " + run.stderr().trim());
            }
            return run;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void skipOrFail(boolean required, String why) {
        if (required) {
            throw new AssertionError(why + " but DVE_REQUIRE_CLIENTS=1");
        }
        Assumptions.abort(why);
    }
}
