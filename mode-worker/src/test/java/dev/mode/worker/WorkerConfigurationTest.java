package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Service;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options from the environment and the {@code --config} file, as the Worker reads them before it
 * starts anything: {@code --help}, and the one-line error with exit code 2 for a bad value from any
 * source. In-process: nothing here gets as far as starting a service.
 */
class WorkerConfigurationTest {
  static final String TOKEN = "tok-0123456789-abcdef";

  record Outcome(int code, String out, String err) {}

  static Outcome execute(Map<String, String> env, String... args) {
    return execute(Worker.builder(new Service() {}), env, args);
  }

  static Outcome execute(Worker.Builder builder, Map<String, String> env, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      code = builder.environment(env).build().execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpShowsEachOptionsEnvironmentVariableAndFileKeyExtensionsIncluded() {
    Outcome r = execute(Map.of(), "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out().replaceAll("\\s+", " ")) // as read, whatever the wrapping
        .contains("Env: MODE_LOGLEVEL; in --config: loglevel=")
        .contains("Env: MODE_SHUTDOWN_TIMEOUT; in --config: shutdown-timeout=")
        .contains("Env: MODE_CONSOLE_TOKEN_FILE; in --config: console-token-file=")
        .contains("Env: MODE_GREETING; in --config: greeting=") // GreeterExtension, found by ServiceLoader
        .contains("Env: MODE_CONFIG")
        .contains("@FILE reads more arguments from FILE")
        .doesNotContain("MODE_HELP", "MODE_VERSION");
  }

  @Test
  void helpShowsDefaultsFromTheEnvironmentButNeverAToken() {
    Outcome r = execute(Map.of("MODE_SHUTDOWN_TIMEOUT", "9s", "MODE_CONSOLE_TOKEN", TOKEN), "--help");
    assertThat(r.out()).contains("Default: 9s.").doesNotContain(TOKEN);
  }

  @Test
  void theBuildersDefaultsYieldToTheEnvironmentAndTheFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("worker.properties"), "shutdown-timeout=7s\nloglevel=warn\n");
    Outcome r = execute(
        Worker.builder(new Service() {}).shutdownTimeout(Duration.ofSeconds(5)).loglevel("debug").consoleHost("::1"),
        Map.of("MODE_SHUTDOWN_TIMEOUT", "9s"), "--config", file.toString(), "--help");
    String help = r.out().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("Default: 9s.")                          // environment over file and builder
        .contains("Default: warn.")                        // file over builder
        .contains("Default: ::1.");                        // builder over the option's own default
  }

  @Test
  void aBadValueInTheEnvironmentIsOneLineNamingTheVariableAndExitsTwo() {
    Outcome r = execute(Map.of("MODE_LOGLEVEL", "loud"));
    assertThat(r.code()).isEqualTo(Worker.EXIT_USAGE);
    assertThat(r.err().strip())
        .isEqualTo("Error: Invalid value for MODE_LOGLEVEL (environment): 'loud' is not a log level;"
            + " use debug, info, warn or error (any case)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aBadValueInTheConfigFileIsOneLineNamingTheKeyAndTheFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("worker.properties"), "shutdown-timeout=10/m\n");
    Outcome r = execute(Map.of(), "--config", file.toString());
    assertThat(r.code()).isEqualTo(Worker.EXIT_USAGE);
    assertThat(r.err().strip())
        .startsWith("Error: Invalid value for shutdown-timeout (configuration file " + file + "): Invalid duration \"10/m\"")
        .contains("250ms")
        .doesNotContain("\n");
  }

  @Test
  void theConfigFileCanBeNamedInTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("worker.properties"), "console-port=abc\n");
    Outcome r = execute(Map.of("MODE_CONFIG", file.toString()));
    assertThat(r.err().strip())
        .isEqualTo("Error: Invalid value for console-port (configuration file " + file + "): 'abc' is not an int");
  }

  @Test
  void theCommandLineWinsSoABadEnvironmentValueItOverridesIsNeverRead() {
    Outcome r = execute(Map.of("MODE_LOGLEVEL", "loud"), "--loglevel", "debug", "--help");
    assertThat(r.code()).isZero();
  }

  @Test
  void aValueTheCheckAfterParsingRefusesNamesItsSourceToo() {
    Outcome r = execute(Map.of("MODE_CONSOLE_PORT", "70000"));
    assertThat(r.code()).isEqualTo(Worker.EXIT_USAGE);
    assertThat(r.err().strip())
        .isEqualTo("Error: Invalid value for MODE_CONSOLE_PORT (environment): 70000 is not a TCP port (0 to 65535)");
    Outcome host = execute(Map.of("MODE_CONSOLE_PORT", "0", "MODE_CONSOLE_HOST", "no-such-host.invalid", "MODE_CONSOLE_TOKEN", TOKEN));
    assertThat(host.err()).contains("Invalid value for MODE_CONSOLE_HOST (environment): unknown host").doesNotContain(TOKEN);
  }

  @Test
  void anUnreadableConfigFileIsAUsageError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    Outcome r = execute(Map.of(), "--config", missing.toString());
    assertThat(r.code()).isEqualTo(Worker.EXIT_USAGE);
    assertThat(r.err().strip()).startsWith("Error: Cannot read the configuration file " + missing + " (--config): no such file");
  }

  @Test
  void aTokenFileThatIsMissingOrEmptyIsAUsageErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing-token");
    Outcome r = execute(Map.of(), "--console-token-file", missing.toString());
    assertThat(r.code()).isEqualTo(Worker.EXIT_USAGE);
    assertThat(r.err()).contains("Invalid value for option '--console-token-file': cannot read the secret file " + missing + " (no such file)");
    Path empty = Files.writeString(dir.resolve("empty-token"), "\n");
    Outcome e = execute(Map.of("MODE_CONSOLE_TOKEN_FILE", empty.toString()));
    assertThat(e.code()).isEqualTo(Worker.EXIT_USAGE);
    assertThat(e.err().strip())
        .isEqualTo("Error: Invalid value for MODE_CONSOLE_TOKEN_FILE (environment): the secret file " + empty
            + " is empty; put the secret on its first line");
  }

  @Test
  void aSecretGivenBothDirectlyAndAsAFileIsRefusedWithoutShowingIt(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Outcome r = execute(Map.of("MODE_CONSOLE_TOKEN", TOKEN), "--console-token-file", file.toString());
    assertThat(r.code()).isEqualTo(Worker.EXIT_USAGE);
    assertThat(r.err())
        .contains("Both MODE_CONSOLE_TOKEN (environment) and option '--console-token-file' are set")
        .doesNotContain(TOKEN);
  }

  @Test
  void secretFileConverterDropsTheTrailingLineBreakOnly(@TempDir Path dir) throws Exception {
    Path crlf = Files.writeString(dir.resolve("a"), " spaced token \r\n");
    assertThat(new SecretFileConverter().convert(crlf.toString())).isEqualTo(" spaced token ");
  }
}
