package dev.dve.server.webapi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Keeps docs/queries.md honest: every row that claims support names test classes that exist and hold tests. */
class QueryDocsTableTest {
    private static final Pattern TEST_NAME = Pattern.compile("`(\\w+Test)`");

    @Test
    void everySupportedRowIsCheckedByExistingTests() throws IOException {
        Path doc = Path.of("..", "docs", "queries.md");
        List<String> rows = Files.readAllLines(doc).stream().filter(l -> l.startsWith("| ") && !l.startsWith("| feature")).toList();
        assertTrue(rows.size() > 30, "the table has its rows");
        List<String> problems = new ArrayList<>();
        for (String row : rows) {
            String[] cells = row.split("\\|");
            String status = cells[cells.length - 2].trim();
            String checkedBy = cells[cells.length - 1].trim();
            boolean claimsSupport = status.startsWith("supported") || status.startsWith("refused");
            Matcher m = TEST_NAME.matcher(checkedBy);
            int named = 0;
            while (m.find()) {
                named++;
                if (!holdsTests(m.group(1))) {
                    problems.add(m.group(1) + " (named by: " + cells[1].trim() + ")");
                }
            }
            if (claimsSupport && named == 0) {
                problems.add("no test named for: " + cells[1].trim());
            }
        }
        if (!problems.isEmpty()) {
            fail("docs/queries.md rows not backed by tests: " + problems);
        }
    }

    private static boolean holdsTests(String simpleName) {
        for (String pkg : List.of("dev.dve.server.webapi.", "dev.dve.server.workflow.", "dev.dve.server.security.", "dev.dve.server.admin.")) {
            try {
                Class<?> c = Class.forName(pkg + simpleName);
                for (Method method : c.getDeclaredMethods()) {
                    if (method.isAnnotationPresent(Test.class)) {
                        return true;
                    }
                }
                return false;
            } catch (ClassNotFoundException notHere) {
                // try the next package
            }
        }
        return false;
    }
}
