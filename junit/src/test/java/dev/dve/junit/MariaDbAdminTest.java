package dev.dve.junit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin contract on MariaDB, the extension registered in code with a database made when the class starts
 * ({@code configure} runs then). Runs in the MariaDB pass ({@code -Ddve.test.db=mariadb}).
 */
@Tag("mariadb")
@EnabledIfSystemProperty(named = "dve.test.db", matches = "mariadb")
class MariaDbAdminTest extends AdminContract {
    @RegisterExtension
    static DataverseEmulatorExtension dve = DataverseEmulatorExtension.builder()
            .configure(c -> {
                MariaDbDatabases.Target db = MariaDbDatabases.fresh();
                return c.withDatabase(db.url(), db.user(), db.password());
            })
            .build();

    @Override
    protected Admin adminOf(DataverseEmulatorRuntime runtime) {
        return runtime.admin();
    }

    @Override
    protected String expectedDatabase() {
        return "MariaDB";
    }
}
