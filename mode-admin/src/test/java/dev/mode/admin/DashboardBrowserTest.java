package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real headless Chromium: it shows the tree with states, and a restart pressed
 * with the mouse after typing the token raises the service's restart count on the page; a crash
 * turns the service red, fails readiness and is listed among the recent crashes. Skipped
 * when Chromium is not installed. Leaves a screenshot at {@code target/dashboard.png}.
 */
class DashboardBrowserTest {
  @Test
  void dashboardShowsTheServicesAndARestartPressedThereRaisesTheRestartCount() throws Exception {
    Optional<Path> chromium = Chromium.find();
    Assumptions.assumeTrue(chromium.isPresent(),
        "Chromium is not installed (looked for /usr/bin/chromium): install it with apt-get install chromium to run this test");
    Fixtures.App app = new Fixtures.App();
    AdminService admin = new AdminService(app, Fixtures.options());
    app.start();
    admin.start();
    try (Chromium browser = new Chromium(chromium.get())) {
      browser.navigate(admin.uri());
      String restarts = "document.querySelector('tr[data-path=\"App/Cache\"] .restarts')?.textContent ?? ''";
      await().atMost(Chromium.timeout()).until(() -> browser.eval(restarts).asText().equals("0"));
      assertThat(browser.eval("[...document.querySelectorAll('#services tbody tr')].map(r => r.dataset.path).join(',')").asText())
          .isEqualTo("App,App/Cache,App/Fetcher");
      assertThat(browser.eval("document.querySelector('tr[data-path=\"App/Cache\"] .state').textContent").asText())
          .isEqualTo("RUNNING");
      assertThat(browser.eval("document.querySelector('tr[data-path=\"App/Cache\"] .state').className").asText())
          .as("the state is coloured by its class").isEqualTo("state RUNNING");
      assertThat(browser.eval("document.getElementById('ready').textContent").asText()).isEqualTo("ready");
      await().atMost(Chromium.timeout()).until(() -> browser.eval("document.querySelectorAll('#timers tbody tr').length").asInt() == 1);

      browser.type("#token", Fixtures.TOKEN);
      browser.click("tr[data-path=\"App/Cache\"] button[data-action=\"restart\"]");
      await().atMost(Chromium.timeout()).until(() -> browser.eval(restarts).asText().equals("1"));
      assertThat(app.cache.restartCount()).isEqualTo(1);
      assertThat(browser.eval("document.getElementById('message').textContent").asText()).isEqualTo("restart App/Cache: RUNNING");
      await().atMost(Chromium.timeout()).until(() -> browser.eval("document.querySelector('#events tbody')?.textContent ?? ''").asText().contains("restart #1"));

      app.fetcher.crash(new IllegalStateException("upstream refused"));
      String fetcherState = "document.querySelector('tr[data-path=\"App/Fetcher\"] .state')?.textContent ?? ''";
      await().atMost(Chromium.timeout()).until(() -> browser.eval(fetcherState).asText().equals("CRASHED"));
      await().atMost(Chromium.timeout()).until(() -> browser.eval("document.getElementById('ready').textContent").asText().equals("not ready"));
      await().atMost(Chromium.timeout()).until(() -> browser.eval("document.querySelector('#events tbody tr.crash')?.textContent ?? ''").asText().contains("upstream refused"));

      Path shot = Path.of("target", "dashboard.png");
      browser.screenshot(shot);
      assertThat(Files.size(shot)).isPositive();
    } finally {
      admin.stop();
      app.stop();
    }
  }

  // What must be on screen at a width: nothing wider than the window or than its own section (no
  // horizontal scrollbar anywhere), "next run" of the timers, the state column and the header links.
  static final String LAYOUT = """
      (() => {
        const w = document.documentElement.clientWidth;
        const inside = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= w + 0.5; };
        const scrolls = [document.documentElement, ...document.querySelectorAll('section')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.id || e.tagName + ':' + (e.querySelector('h2')?.textContent ?? ''));
        const nextRun = [...document.querySelectorAll('#timers th')].find(th => th.textContent === 'next run');
        const nextRunCell = document.querySelector('#timers tbody tr td:last-child');
        return {
          scrolls: scrolls.join(','),
          nextRun: !!nextRun && inside(nextRun) && !!nextRunCell && inside(nextRunCell),
          state: inside(document.querySelector('tr[data-path="App/Cache"] .state')),
          links: [...document.querySelectorAll('header nav a')].every(inside),
        };
      })()""";

  // issue 13, defect 11: at 1280 px no horizontal scrollbar and "next run" visible; at 420 px the
  // state column and the header links visible
  @Test
  void theDashboardFitsA1280PixelAndA420PixelWideWindow() throws Exception {
    Optional<Path> chromium = Chromium.find();
    Assumptions.assumeTrue(chromium.isPresent(),
        "Chromium is not installed (looked for /usr/bin/chromium): install it with apt-get install chromium to run this test");
    Fixtures.App app = new Fixtures.App();
    app.addDependency(new Fixtures.NoOpService("AServiceWithAFairlyLongLabelAsProgramsHave"));
    AdminService admin = new AdminService(app, Fixtures.options());
    app.start();
    admin.start();
    try (Chromium browser = new Chromium(chromium.get())) {
      for (int width : new int[] {1280, 420}) {
        browser.viewport(width, 800);
        browser.navigate(admin.uri());
        await().atMost(Chromium.timeout()).until(() -> browser.eval("document.querySelectorAll('#timers tbody tr').length").asInt() == 1);
        var layout = browser.eval(LAYOUT);
        browser.screenshot(Path.of("target", "dashboard-" + width + ".png"));
        assertThat(layout.path("state").asBoolean()).as("%d px: the state column is on screen", width).isTrue();
        assertThat(layout.path("links").asBoolean()).as("%d px: the header links are on screen", width).isTrue();
        if (width == 1280) {
          assertThat(layout.path("scrolls").asText()).as("1280 px: elements with a horizontal scrollbar").isEmpty();
          assertThat(layout.path("nextRun").asBoolean()).as("1280 px: \"next run\" is on screen").isTrue();
        }
      }
    } finally {
      admin.stop();
      app.stop();
    }
  }
}
