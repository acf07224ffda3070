package dev.mode.release;

import static dev.mode.release.Reactor.child;
import static dev.mode.release.Reactor.children;
import static dev.mode.release.Reactor.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.release.Reactor.Module;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/**
 * The release set that {@code ./build.sh test} (mvn verify) staged, laid out as {@code mvn deploy}
 * writes a remote repository, is what Maven Central accepts and a user needs: for every published
 * module (derived from the root POM, see {@link Reactor}) a POM with the required metadata, and for
 * every module with code a jar, a sources jar and a javadoc jar; checksums beside every file.
 */
class ReleaseSetIsCompleteTest {
  private static final String HINT = " (the release set is written by each published module's verify"
      + " phase to target/staging; is mode-release-it still the last module of the root pom.xml?)";

  static final Reactor REACTOR = Reactor.current();

  static List<Module> publishedModules() {
    return REACTOR.publishedModules();
  }

  static List<Module> publishedModulesWithJars() {
    return REACTOR.publishedModules().stream().filter(Module::hasJar).toList();
  }

  @Test
  void theCoreTheWorkerTheAdminTheBomAndTheArchetypeArePublishedAndExamplesAndBenchAreNot() {
    List<String> published = REACTOR.publishedModules().stream().map(Module::artifactId).toList();
    assertThat(published).contains("mode-parent", "mode-core", "mode-worker", "mode-admin", "mode-bom", "mode-archetype");
    assertThat(published).doesNotContain("mode-examples", "mode-bench", "mode-release-it");
    for (String unpublished : List.of("mode-examples", "mode-bench", "mode-release-it")) {
      assertThat(REACTOR.stagedVersionDir(unpublished)).as("%s must not be deployed", unpublished).doesNotExist();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publishedModules")
  void everyPublishedModuleIsStagedOnceWithPomJarSourcesAndJavadoc(Module module) {
    List<String> wanted = new ArrayList<>(List.of(":pom"));
    if (module.hasJar()) wanted.addAll(List.of(":jar", "sources:jar", "javadoc:jar"));
    for (String w : wanted) {
      String classifier = w.substring(0, w.indexOf(':'));
      String extension = w.substring(w.indexOf(':') + 1);
      assertThat(REACTOR.staged(module.artifactId(), classifier, extension))
          .as("%s: staged %s%s files in %s%s", module, classifier.isEmpty() ? "" : classifier + " ", extension,
              REACTOR.stagedVersionDir(module.artifactId()), HINT)
          .hasSize(1);
    }
    assertThat(REACTOR.stagedVersionDir(module.artifactId()).resolve("maven-metadata.xml")).exists();
    assertThat(REACTOR.stagedVersionDir(module.artifactId()).getParent().resolve("maven-metadata.xml")).exists();
  }

  @Test
  void everyStagedFileHasTheChecksumsDeployWritesAndTheyMatch() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(REACTOR.staging)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !p.toString().endsWith(".md5") && !p.toString().endsWith(".sha1"))
          .toList();
    }
    assertThat(files).as("files in " + REACTOR.staging + HINT).isNotEmpty();
    for (Path file : files) {
      for (String algorithm : List.of("MD5", "SHA-1")) {
        Path sum = Path.of(file + "." + algorithm.toLowerCase().replace("-", ""));
        assertThat(sum).as("checksum of %s", file).exists();
        assertThat(Files.readString(sum).trim()).as("%s", sum).isEqualTo(digest(file, algorithm));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publishedModules")
  void everyStagedPomHasTheMetadataMavenCentralRequires(Module module) {
    Element pom = stagedPom(module.artifactId());
    assertThat(text(pom, "name")).as("%s: <name> (not inherited)", module).isPresent();
    assertThat(text(pom, "description")).as("%s: <description>", module).isPresent();
    assertThat(inherited(pom, "url")).as("%s: <url>", module).isPresent();
    assertThat(inherited(pom, "licenses").map(l -> children(l, "license"))
            .filter(l -> !l.isEmpty()).map(l -> text(l.get(0), "name").orElse("")))
        .as("%s: <licenses>", module).contains("Apache-2.0");
    assertThat(inherited(pom, "developers").map(d -> children(d, "developer"))
            .filter(d -> !d.isEmpty()).flatMap(d -> text(d.get(0), "name")))
        .as("%s: <developers> with a name", module).isPresent();
    Optional<Element> scm = inherited(pom, "scm");
    assertThat(scm.flatMap(s -> text(s, "url"))).as("%s: <scm><url>", module).isPresent();
    assertThat(scm.flatMap(s -> text(s, "connection"))).as("%s: <scm><connection>", module).isPresent();
  }

  @Test
  void theBomManagesEveryPublishedLibraryAtTheReleaseVersion() {
    Element bom = stagedPom("mode-bom");
    Element managed = child(child(bom, "dependencyManagement").orElseThrow(), "dependencies").orElseThrow();
    List<String> listed = new ArrayList<>();
    for (Element dependency : children(managed, "dependency")) {
      assertThat(text(dependency, "groupId")).contains("dev.mode");
      assertThat(text(dependency, "version").orElse(""))
          .as("version of %s in mode-bom", text(dependency, "artifactId"))
          .isIn("${project.version}", REACTOR.version);
      listed.add(text(dependency, "artifactId").orElseThrow());
    }
    List<String> libraries = REACTOR.publishedModules().stream()
        .filter(m -> m.packaging().equals("jar"))
        .map(Module::artifactId)
        .toList();
    assertThat(listed).as("modules managed by mode-bom/pom.xml: add every published library").containsAll(libraries);
    assertThat(text(bom, "parent")).as("mode-bom must have no parent: importing it would import the parent's"
        + " third-party versions too").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publishedModulesWithJars")
  void everyLibraryJarNamesItsAutomaticModuleAndIsReproducible(Module module) throws IOException {
    LocalDateTime outputTimestamp = OffsetDateTime.parse(outputTimestamp())
        .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    for (String classifier : List.of("", "sources")) {
      Path jar = REACTOR.staged(module.artifactId(), classifier, "jar").getFirst();
      try (JarFile jf = new JarFile(jar.toFile())) {
        jf.stream().forEach(entry -> assertThat(entry.getTimeLocal())
            .as("time of %s in %s (project.build.outputTimestamp %s)", entry.getName(), jar.getFileName(), outputTimestamp)
            .isEqualTo(outputTimestamp));
        if (classifier.isEmpty() && module.packaging().equals("jar")) {
          String expected = "dev.mode." + module.artifactId().substring("mode-".length()).replace('-', '.');
          assertThat(jf.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
              .as("Automatic-Module-Name of %s", jar.getFileName())
              .isEqualTo(expected);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publishedModulesWithJars")
  void sourcesAndJavadocJarsHoldTheSourcesAndTheDocumentation(Module module) throws IOException {
    try (JarFile sources = new JarFile(REACTOR.staged(module.artifactId(), "sources", "jar").getFirst().toFile());
         JarFile javadoc = new JarFile(REACTOR.staged(module.artifactId(), "javadoc", "jar").getFirst().toFile())) {
      if (module.packaging().equals("jar")) {
        assertThat(sources.stream().map(e -> e.getName())).as("%s sources", module).anyMatch(n -> n.endsWith(".java"));
        assertThat(javadoc.getEntry("index.html")).as("%s javadoc index.html", module).isNotNull();
      } else {
        assertThat(sources.stream().map(e -> e.getName())).as("%s sources", module)
            .anyMatch(n -> n.startsWith("archetype-resources/"));
        assertThat(javadoc.stream().map(e -> e.getName())).as("%s javadoc", module).anyMatch(n -> n.endsWith(".html"));
      }
    }
  }

  private String outputTimestamp() {
    Element root = Reactor.parse(REACTOR.root.resolve("pom.xml")).getDocumentElement();
    return child(root, "properties").flatMap(p -> text(p, "project.build.outputTimestamp")).orElseThrow();
  }

  private static Element stagedPom(String artifactId) {
    List<Path> poms = REACTOR.staged(artifactId, "", "pom");
    assertThat(poms).as("staged POM of " + artifactId + HINT).hasSize(1);
    return Reactor.parse(poms.getFirst()).getDocumentElement();
  }

  /** {@code name} from the POM or, as Maven inherits it, from its staged dev.mode parent. */
  private static Optional<Element> inherited(Element pom, String name) {
    Optional<Element> own = child(pom, name);
    if (own.isPresent()) return own;
    return child(pom, "parent")
        .filter(p -> text(p, "groupId").orElse("").equals("dev.mode"))
        .flatMap(p -> inherited(stagedPom(text(p, "artifactId").orElseThrow()), name));
  }

  private static String digest(Path file, String algorithm) throws Exception {
    MessageDigest md = MessageDigest.getInstance(algorithm);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) md.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
