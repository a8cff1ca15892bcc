package dev.dve.server.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of {@code clients/node} (real npm client libraries, unchanged) with Node.js against a running
 * emulator. Without Node.js or the installed packages ({@code npm ci --prefix clients/node}) the test is skipped,
 * so the README's test command works on a machine with only a JDK and Maven; CI installs them and sets
 * {@code DVE_REQUIRE_CLIENTS=1}, which turns a missing client into a failure instead.
 */
public final class NodeClients {
    private NodeClients() {
    }

    /** What a script printed and how it ended. */
    public record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** The folder holding {@code package.json}, found from the module's working directory. */
    public static Path directory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("clients/node");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("clients/node not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs {@code node <script>} in {@code clients/node} with the given environment added; bounded to two minutes. */
    public static Run run(String script, Map<String, String> env) throws IOException, InterruptedException {
        Path dir = directory();
        boolean installed = Files.isDirectory(dir.resolve("node_modules"));
        boolean required = "1".equals(System.getenv("DVE_REQUIRE_CLIENTS"));
        if (!installed || !nodeAvailable()) {
            String why = "Node.js client packages not installed (npm ci --prefix clients/node)";
            if (required) {
                throw new AssertionError(why + " but DVE_REQUIRE_CLIENTS=1");
            }
            Assumptions.abort(why);
        }
        List<String> command = new ArrayList<>(List.of("node", script));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("node-out", ".txt");
        Path err = Files.createTempFile("node-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("node " + script + " did not finish within two minutes:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
