package dev.dve.junit;

/** The admin contract over HTTP, with the application user's token (the way a test drives a separately started emulator). */
@DataverseEmulatorTest
class HttpAdminTest extends AdminContract {
    @Override
    protected Admin adminOf(DataverseEmulatorRuntime dve) {
        return new HttpAdmin(dve.baseUrl(), dve.applicationUserToken());
    }
}
