package dev.dve.server.console;

import dev.dve.server.testing.EmulatorTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.time.Duration;

import static dev.dve.server.workflow.WorkflowTestSupport.active;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Workflows page in a real browser (headless Chromium): Stop and Start change the row's status and the workflow's
 * state, and a pending edit marks the Stop button. Skipped without chromedriver unless {@code DVE_REQUIRE_BROWSER=1}.
 */
class ConsoleBrowserTest extends EmulatorTest {
    private static final File DRIVER = new File(System.getenv().getOrDefault("DVE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final File BROWSER = new File(System.getenv().getOrDefault("DVE_CHROMIUM", "/usr/bin/chromium"));
    private WebDriver browser;

    @BeforeAll
    void startBrowser() {
        boolean present = DRIVER.canExecute() && BROWSER.canExecute();
        if (!present && "1".equals(System.getenv("DVE_REQUIRE_BROWSER"))) {
            fail("DVE_REQUIRE_BROWSER=1 but " + DRIVER + " or " + BROWSER + " is missing (apt-get install chromium chromium-driver)");
        }
        assumeTrue(present, "no chromedriver/chromium: the browser test is skipped");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build(), options);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebElement cellOf(String id, String cell) {
        return browser.findElement(By.cssSelector("tr[data-id='" + id + "'] td." + cell));
    }

    private void waitForStatus(String id, String status) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.textToBe(By.cssSelector("tr[data-id='" + id + "'] td.status"), status));
    }

    private int statecode(String id) {
        return api.get("workflows(" + id + ")?$select=statecode").json().path("statecode").asInt();
    }

    @Test
    void stopAndStartFromThePage() {
        String id = active(api, "Describe later", "set-description.xaml", "{\"triggeroncreate\":true,\"mode\":0}");
        api.createAccount("Queued");
        browser.get(server.baseUrl() + "/console/");
        waitForStatus(id, "RUNNING");
        assertEquals("Describe later", cellOf(id, "name").getText());
        assertEquals("1", cellOf(id, "backlog").getText());

        cellOf(id, "actions").findElement(By.name("stop")).click();
        waitForStatus(id, "STOPPED");
        assertEquals(0, statecode(id), "Stop deactivated the workflow");

        cellOf(id, "actions").findElement(By.name("start")).click();
        waitForStatus(id, "RUNNING");
        assertEquals(1, statecode(id), "Start activated it again");
        assertFalse(cellOf(id, "actions").findElement(By.name("stop")).getAttribute("class").contains("warning"));

        assertEquals(200, anonymous.put("/console/api/workflows/" + id, "{\"name\":\"Describe differently\"}").status());
        browser.findElement(By.id("refresh")).click();
        // the list is drawn again after the refresh: a locator, looked up anew on each poll
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.attributeContains(By.cssSelector("tr[data-id='" + id + "'] button[name='stop']"), "class", "warning"));
        assertTrue(cellOf(id, "actions").findElement(By.name("stop")).getAttribute("title").contains("Stop and Start"));
    }
}
