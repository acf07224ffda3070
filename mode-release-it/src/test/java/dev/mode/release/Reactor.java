package dev.mode.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The build as the release checks see it: the root POM's modules, which of them are published (all but
 * those whose POM sets {@code mode.release.skip} to true), and where the build staged their files.
 * Read from the POM files, so a module added to the root POM is checked without editing a test.
 */
final class Reactor {
  static final String GROUP_PATH = "dev/mode";

  final Path root;
  final Path staging;
  final String version;

  private Reactor(Path root, Path staging, String version) {
    this.root = root;
    this.staging = staging;
    this.version = version;
  }

  /** The reactor this test runs in (system properties set by the module's surefire configuration). */
  static Reactor current() {
    return new Reactor(
        Path.of(required("mode.root")), Path.of(required("mode.staging.directory")), required("mode.version"));
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "System property " + property + " is not set: run this test through Maven (./build.sh test)");
    }
    return value;
  }

  /** One module of the build: its directory, artifactId, packaging and whether it is published. */
  record Module(Path dir, String artifactId, String packaging, boolean published) {
    boolean hasJar() {
      return packaging.equals("jar") || packaging.equals("maven-archetype");
    }

    /** The module's main jar as its own build wrote it. */
    Optional<Path> builtJar() {
      Path target = dir.resolve("target");
      if (!Files.isDirectory(target)) return Optional.empty();
      try (Stream<Path> files = Files.list(target)) {
        return files
            .filter(p -> p.getFileName().toString().matches(Pattern.quote(artifactId) + "-[^-]+(-SNAPSHOT)?\\.jar"))
            .findFirst();
      } catch (IOException e) {
        throw new IllegalStateException("Cannot list " + target, e);
      }
    }

    @Override
    public String toString() {
      return artifactId;
    }
  }

  /** The root POM and every module it lists, in the order listed. */
  List<Module> modules() {
    List<Module> modules = new ArrayList<>();
    modules.add(module(root));
    Element rootPom = parse(root.resolve("pom.xml")).getDocumentElement();
    for (Element m : children(child(rootPom, "modules").orElseThrow(), "module")) {
      modules.add(module(root.resolve(m.getTextContent().trim())));
    }
    return modules;
  }

  List<Module> publishedModules() {
    return modules().stream().filter(Module::published).toList();
  }

  private static Module module(Path dir) {
    Element pom = parse(dir.resolve("pom.xml")).getDocumentElement();
    String artifactId = text(pom, "artifactId").orElseThrow();
    String packaging = text(pom, "packaging").orElse("jar");
    boolean skipped = child(pom, "properties")
        .flatMap(props -> text(props, "mode.release.skip"))
        .map(Boolean::parseBoolean)
        .orElse(false);
    return new Module(dir, artifactId, packaging, !skipped);
  }

  /** The staged directory of {@code artifactId} at this build's version. */
  Path stagedVersionDir(String artifactId) {
    return staging.resolve(GROUP_PATH).resolve(artifactId).resolve(version);
  }

  /**
   * The staged files of {@code artifactId} with {@code classifier} (empty for none) and {@code
   * extension}: one file for a release version; for a snapshot, one per deploy (timestamped names).
   */
  List<Path> staged(String artifactId, String classifier, String extension) {
    Path dir = stagedVersionDir(artifactId);
    if (!Files.isDirectory(dir)) return List.of();
    String base = version.endsWith("-SNAPSHOT") ? version.substring(0, version.length() - "-SNAPSHOT".length()) : version;
    String versionPattern = version.endsWith("-SNAPSHOT")
        ? Pattern.quote(base) + "-(SNAPSHOT|\\d{8}\\.\\d{6}-\\d+)"
        : Pattern.quote(version);
    Pattern name = Pattern.compile(Pattern.quote(artifactId) + "-" + versionPattern
        + (classifier.isEmpty() ? "" : "-" + Pattern.quote(classifier)) + "\\." + Pattern.quote(extension));
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list " + dir, e);
    }
  }

  static Document parse(Path xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(false);
      return factory.newDocumentBuilder().parse(xml.toFile());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot parse " + xml + ": " + e.getMessage(), e);
    }
  }

  static Optional<Element> child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) return Optional.of(e);
    }
    return Optional.empty();
  }

  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) found.add(e);
    }
    return found;
  }

  /** The trimmed text of the direct child {@code name}, if present and not blank. */
  static Optional<String> text(Element parent, String name) {
    return child(parent, name).map(e -> e.getTextContent().trim()).filter(s -> !s.isEmpty());
  }
}
