package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Service;
import org.junit.jupiter.api.Test;

/** Path lookup as the console and the admin read typed paths: the root's prefix is optional. */
class ServicePathsTest {
  static final class Node extends Service {
    private final String name;

    Node(String name) {
      this.name = name;
    }

    @Override
    public String label() {
      return name;
    }
  }

  private final Node root = new Node("Worker");
  private final Node app = root.addDependency(new Node("App"));
  private final Node cache = app.addDependency(new Node("Cache"));

  @Test
  void aPathFindsItsServiceWithOrWithoutTheRootPrefix() {
    assertThat(ServicePaths.find(root, "Worker/App/Cache")).containsSame(cache);
    assertThat(ServicePaths.find(root, "App/Cache")).containsSame(cache);
    assertThat(ServicePaths.find(root, "/App/Cache/")).containsSame(cache);
    assertThat(ServicePaths.find(root, "Worker")).containsSame(root);
    assertThat(ServicePaths.find(root, "App/cache")).as("case-sensitive").isEmpty();
    assertThat(ServicePaths.find(root, "Cache")).as("not a suffix search").isEmpty();
  }

  @Test
  void theNearestPathIsSuggestedForATypo() {
    assertThat(ServicePaths.nearest(root, "App/Cahce")).isEqualTo("Worker/App/Cache");
    assertThat(ServicePaths.nearest(root, "Worker/Ap")).isEqualTo("Worker/App");
    assertThat(ServicePaths.nearest("restrat", java.util.List.of("restart", "stop", "tree"))).isEqualTo("restart");
  }
}
