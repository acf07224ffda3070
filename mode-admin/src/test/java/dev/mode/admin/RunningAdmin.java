package dev.mode.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the tests that talk to a running App[Cache, Fetcher] through an admin started beside it. */
abstract class RunningAdmin {
  final Fixtures.App app = new Fixtures.App();
  final AdminService admin = new AdminService(app, options());
  Http http;

  /** The admin's settings; tests override to change them. */
  AdminOptions options() {
    return Fixtures.options();
  }

  @BeforeEach
  void startAppAndAdmin() {
    app.start();
    admin.start();
    http = new Http(admin.uri());
  }

  @AfterEach
  void stopAdminAndApp() {
    admin.stop();
    app.stop();
  }
}
