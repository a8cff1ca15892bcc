package dev.dve.junit.example;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README quotes {@link ConnectorExampleTest}: the quote is the class as it runs, word for word. */
class ReadmeExampleTest {
    @Test
    void theReadmeQuotesTheExampleAsItIs() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        String source = Files.readString(module.resolve("src/test/java/dev/dve/junit/example/ConnectorExampleTest.java"));
        String example = source.substring(source.indexOf("@DataverseEmulatorTest(")).strip();
        String readme = Files.readString(module.resolve("../README.md"));
        assertTrue(readme.contains("```java\n" + example + "\n```"),
                "README.md, \"Use it from your tests\", must quote ConnectorExampleTest from its annotation to its end");
    }
}
