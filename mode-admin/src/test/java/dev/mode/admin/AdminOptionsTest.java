package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** AdminOptions as a builder and as the picocli options a Worker mixes in. */
class AdminOptionsTest {
  @Command(name = "prog")
  static final class Prog {
    @Mixin AdminOptions admin;
  }

  @Test
  void defaultsAreLoopbackPort6066AGeneratedTokenAndNoDrainDelay() {
    AdminOptions o = new AdminOptions();
    assertThat(o.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(o.port()).isEqualTo(6066);
    assertThat(o.token()).isNull();
    assertThat(o.drainDelay()).isZero();
    assertThat(new AdminService(new Fixtures.App()).token()).as("a generated token").hasSizeGreaterThanOrEqualTo(32);
  }

  @Test
  void commandLineFlagsFillTheOptions() {
    Prog prog = new Prog();
    new CommandLine(prog).parseArgs(
        "--admin-port", "0", "--admin-bind=0.0.0.0", "--admin-token", "0123456789abcdefXYZ", "--drain-delay", "1.5s");
    assertThat(prog.admin.port()).isZero();
    assertThat(prog.admin.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(prog.admin.token()).isEqualTo("0123456789abcdefXYZ");
    assertThat(prog.admin.drainDelay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(new CommandLine(new Prog()).getUsageMessage()).contains("--admin-port").contains("--drain-delay");
  }

  @Test
  void badDrainDelayOnTheCommandLineNamesTheValueAndTheForms() {
    assertThatThrownBy(() -> new CommandLine(new Prog()).parseArgs("--drain-delay", "10/m"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("10/m")
        .hasMessageContaining("250ms");
  }

  @Test
  void badValuesAreRejectedWithTheValueAndTheAcceptedForms() {
    assertThatThrownBy(() -> new AdminOptions().port(70000)).hasMessageContaining("70000").hasMessageContaining("1..65535");
    assertThatThrownBy(() -> new AdminOptions().token("short")).hasMessageContaining("at least 16");
    assertThatThrownBy(() -> new AdminOptions().token("has a space in it!!")).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> new AdminOptions().drainDelay(Duration.ofSeconds(-1))).hasMessageContaining("negative");
    assertThatThrownBy(() -> new AdminOptions().bindAddress(" ")).hasMessageContaining("IP address");
  }

  @Test
  void aShortTokenFromTheCommandLineIsRejectedWhenTheAdminIsBuilt() {
    Prog prog = new Prog();
    new CommandLine(prog).parseArgs("--admin-token", "short");
    assertThatThrownBy(() -> new AdminService(new Fixtures.App(), prog.admin)).hasMessageContaining("at least 16");
  }

  @Test
  void theAdminCopiesItsOptions() {
    AdminOptions o = Fixtures.options().drainDelay(Duration.ofSeconds(3));
    AdminService admin = new AdminService(new Fixtures.App(), o);
    o.drainDelay(Duration.ofSeconds(9)).token("another-token-0123456789");
    assertThat(admin.drainDelay()).isEqualTo(Duration.ofSeconds(3));
    assertThat(admin.token()).isEqualTo(Fixtures.TOKEN);
  }
}
