package dev.mode.worker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Where each option's value comes from when the command line does not give it: the environment,
 * then the {@code --config} properties file (both through {@link Settings}), then the default the
 * {@link Worker.Builder} set, then the field's own initial value. picocli asks this provider only
 * for the options the command line left out, after reading the command line, so {@code --config}
 * is known by the time the file is needed. It covers every option on the command line, extensions'
 * mixins included, by name: {@code --admin-port} is {@code MODE_ADMIN_PORT} and {@code
 * admin-port=}.
 *
 * <p>It also remembers which option took its value from which source, so that a bad value is
 * reported with the variable or file key that held it, adds each option's variable and key to
 * {@code --help}, and refuses a secret given both directly and as a file. Confined to the thread
 * that executes the Worker.
 */
final class OptionSources implements CommandLine.IDefaultValueProvider {
  static final String CONFIG = "--config";
  static final String FILE_SUFFIX = "-file";

  private final WorkerOptions.Defaults builderDefaults;
  private final Map<String, String> environment;
  private final Supplier<Path> configOnCommandLine;
  private final Map<String, Settings.Value> taken = new HashMap<>();
  private Settings settings;
  private IllegalArgumentException failure;

  OptionSources(WorkerOptions.Defaults builderDefaults, Map<String, String> environment, Supplier<Path> configOnCommandLine) {
    this.builderDefaults = builderDefaults;
    this.environment = Map.copyOf(environment);
    this.configOnCommandLine = configOnCommandLine;
  }

  /** Installs this provider and the {@code --help} lines naming each option's variable. */
  void install(CommandLine cl) {
    cl.setDefaultValueProvider(this);
    cl.setHelpFactory(
        (spec, scheme) ->
            new Help(spec, scheme) {
              @Override
              public IOptionRenderer createDefaultOptionRenderer() {
                IOptionRenderer base = super.createDefaultOptionRenderer();
                return (option, labels, colors) -> withSource(base.render(option, labels, colors), option, colors);
              }
            });
  }

  // one more row under the option's description: "env MODE_X, file key x"
  private static Text[][] withSource(Text[][] rows, OptionSpec option, Help.ColorScheme colors) {
    if (!configurable(option) || rows.length == 0) return rows;
    String key = key(option);
    Text[] extra = new Text[rows[0].length];
    for (int i = 0; i < extra.length; i++) extra[i] = colors.text("");
    extra[extra.length - 1] =
        colors.text(CONFIG.equals(option.longestName())
            ? "  Env: " + Settings.environmentVariable(key)
            : "  Env: " + Settings.environmentVariable(key) + "; in --config: " + key + "=");
    Text[][] out = Arrays.copyOf(rows, rows.length + 1);
    out[rows.length] = extra;
    return out;
  }

  private static boolean configurable(OptionSpec o) {
    return !o.usageHelp() && !o.versionHelp() && o.longestName().startsWith("--");
  }

  private static String key(OptionSpec o) {
    return o.longestName().substring(2);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || !configurable(o)) return null;
    String name = o.longestName();
    if (CONFIG.equals(name)) {
      String env = environment.get(Settings.environmentVariable(name));
      if (env != null) {
        taken.put(name, new Settings.Value(env, Settings.environmentVariable(name) + " (environment)"));
        return env;
      }
      return builderDefaults.values.get(name);
    }
    Settings s = settings();
    Settings.Value v = s == null ? null : s.lookup(name);
    if (v != null) {
      taken.put(name, v);
      return v.text();
    }
    return builderDefaults.values.get(name);
  }

  /** The environment and the file; null if the file could not be read ({@link #failure()} says why). */
  Settings settings() {
    if (settings == null && failure == null) {
      try {
        settings = Settings.of(environment, configFile());
      } catch (IllegalArgumentException e) {
        failure = e;
      }
    }
    return settings;
  }

  private Path configFile() {
    Path given = configOnCommandLine.get();
    if (given != null) return given;
    String env = environment.get(Settings.environmentVariable(CONFIG));
    if (env != null) return Path.of(env);
    String builder = builderDefaults.values.get(CONFIG);
    return builder == null ? null : Path.of(builder);
  }

  /** Why the configuration file could not be read, or null. */
  IllegalArgumentException failure() {
    settings();
    return failure;
  }

  /**
   * How an error message names the origin of option {@code name}'s value: {@code option
   * '--loglevel'} for the command line or the program's default, else the variable or file key, as
   * {@code MODE_LOGLEVEL (environment)}.
   */
  String origin(String name) {
    Settings.Value v = taken.get(name);
    return v == null ? "option '" + name + "'" : v.source();
  }

  /** Whether the bad value {@code e} reports came from the environment or the configuration file. */
  boolean fromConfiguration(ParameterException e) {
    return e.getArgSpec() instanceof OptionSpec o && taken.containsKey(o.longestName());
  }

  /**
   * The message for a bad value: picocli's, with the option replaced by the variable or file key
   * when the value came from there.
   */
  String message(ParameterException e) {
    String m = e.getMessage();
    if (fromConfiguration(e) && e.getArgSpec() instanceof OptionSpec o) {
      return m.replaceFirst("^Invalid value for option '[^']*': ", "Invalid value for " + origin(o.longestName()).replace("$", "\\$") + ": ");
    }
    return m;
  }

  /**
   * Refuses an option {@code --x} and its file form {@code --x-file} both set (from any source):
   * which secret was meant would be a guess.
   *
   * @throws IllegalArgumentException naming both and where each came from
   */
  void checkFileForms(CommandLine cl) {
    List<String> clashes = new ArrayList<>();
    for (OptionSpec file : cl.getCommandSpec().options()) {
      String name = file.longestName();
      if (!name.endsWith(FILE_SUFFIX) || file.getValue() == null) continue;
      OptionSpec direct = cl.getCommandSpec().findOption(name.substring(0, name.length() - FILE_SUFFIX.length()));
      if (direct == null || direct.getValue() == null) continue;
      clashes.add(origin(direct.longestName()) + " and " + origin(name));
    }
    if (!clashes.isEmpty()) {
      throw new IllegalArgumentException(
          "Both " + String.join("; both ", clashes) + " are set: give the secret one way only (the -file form keeps it off the command line)");
    }
  }
}
