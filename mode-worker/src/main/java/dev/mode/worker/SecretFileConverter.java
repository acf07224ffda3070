package dev.mode.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a picocli option's value as the path of a file that holds a secret, and yields the file's
 * content without its trailing line break: {@code --admin-token-file /run/secrets/admin-token}. A
 * secret kept in a file (a Kubernetes Secret volume, a systemd credential, a Docker secret) never
 * shows in {@code ps} or a shell history. Errors name the file, never its content:
 *
 * <pre>{@code
 * @Option(names = "--db-password-file", paramLabel = "FILE", converter = SecretFileConverter.class)
 * String dbPassword;
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class SecretFileConverter implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    Path file = Path.of(value);
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | SecurityException e) {
      throw new TypeConversionException("cannot read the secret file " + value + " (" + Settings.reason(e) + ")");
    }
    String secret = content.replaceFirst("(\\r?\\n)+$", "");
    if (secret.isEmpty()) {
      throw new TypeConversionException("the secret file " + value + " is empty; put the secret on its first line");
    }
    return secret;
  }
}
