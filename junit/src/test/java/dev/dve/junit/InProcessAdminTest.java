package dev.dve.junit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The admin contract, in-process: the extension's own {@link Admin}. */
@DataverseEmulatorTest
class InProcessAdminTest extends AdminContract {
    @Override
    protected Admin adminOf(DataverseEmulatorRuntime dve) {
        return assertInstanceOf(InProcessAdmin.class, dve.admin());
    }
}
