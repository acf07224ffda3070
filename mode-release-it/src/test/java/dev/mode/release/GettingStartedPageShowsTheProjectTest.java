package dev.mode.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/getting-started.md shows every file of the getting-started/ project whole, each code block
 * preceded by a comment naming the file ({@code <!-- getting-started/pom.xml -->}); the page and the
 * directory must not drift apart. (The archetype's integration test keeps the directory equal to what
 * the archetype generates, and builds and runs it.)
 */
class GettingStartedPageShowsTheProjectTest {
  private static final Pattern SHOWN_FILE =
      Pattern.compile("<!-- (getting-started/[^ ]+) -->\\n```[a-z]*\\n(.*?)```\\n", Pattern.DOTALL);

  private final Path root = Reactor.current().root;

  @Test
  void everyFileShownOnThePageIsTheFileInTheRepository() throws IOException {
    Map<String, String> shown = shownFiles();
    assertThat(shown).as("files shown on docs/getting-started.md").isNotEmpty();
    for (Map.Entry<String, String> e : shown.entrySet()) {
      assertThat(e.getValue())
          .as("the block for %s on docs/getting-started.md must equal the file", e.getKey())
          .isEqualTo(readNormalised(root.resolve(e.getKey())));
    }
  }

  @Test
  void everyFileOfTheProjectIsShownOnThePage() throws IOException {
    List<String> files;
    Path project = root.resolve("getting-started");
    try (Stream<Path> walk = Files.walk(project)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !project.relativize(p).startsWith("target"))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
    assertThat(files).contains("getting-started/pom.xml");
    assertThat(shownFiles().keySet()).as("files shown on docs/getting-started.md").containsAll(files);
  }

  private Map<String, String> shownFiles() throws IOException {
    String page = readNormalised(root.resolve("docs/getting-started.md"));
    Map<String, String> shown = new LinkedHashMap<>();
    Matcher m = SHOWN_FILE.matcher(page);
    while (m.find()) {
      shown.put(m.group(1), m.group(2));
    }
    return shown;
  }

  private static String readNormalised(Path file) throws IOException {
    return Files.readString(file).replace("\r\n", "\n");
  }
}
