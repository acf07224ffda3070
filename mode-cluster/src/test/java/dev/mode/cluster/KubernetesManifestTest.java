package dev.mode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The Kubernetes manifest the docs ship (mode-cluster/deploy/kubernetes.yaml) says what they say. */
class KubernetesManifestTest {
  static List<JsonNode> documents(String file) throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser p = new YAMLFactory().createParser(Files.readString(Path.of("deploy", file)))) {
      docs.addAll(yaml.readValues(p, JsonNode.class).readAll());
    }
    return docs;
  }

  static List<JsonNode> documents() throws Exception {
    return documents("kubernetes.yaml");
  }

  static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst().orElseThrow(() -> new AssertionError("no " + kind));
  }

  static JsonNode deployment() throws Exception {
    return kind(documents(), "Deployment");
  }

  @Test
  void theLeaseManifestGrantsThePodsWhatTheKubernetesStoreNeedsAndNothingMore() throws Exception {
    List<JsonNode> docs = documents("kubernetes-leases.yaml");
    JsonNode deployment = kind(docs, "Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
    String account = deployment.at("/spec/template/spec/serviceAccountName").asText();
    assertThat(kind(docs, "ServiceAccount").at("/metadata/name").asText()).isEqualTo(account);
    JsonNode role = kind(docs, "Role");
    assertThat(role.at("/rules").size()).isEqualTo(1);
    JsonNode rule = role.at("/rules/0");
    assertThat(rule.at("/apiGroups/0").asText()).isEqualTo("coordination.k8s.io");
    assertThat(rule.at("/resources/0").asText()).isEqualTo("leases");
    List<String> verbs = new ArrayList<>();
    rule.path("verbs").forEach(v -> verbs.add(v.asText()));
    assertThat(verbs).containsExactlyInAnyOrder("get", "list", "create", "update");
    JsonNode binding = kind(docs, "RoleBinding");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);
    List<String> args = new ArrayList<>();
    deployment.at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
    String store = args.get(args.indexOf("--cluster-store") + 1);
    assertThat(ClusterStore.of(store, null, null)).isInstanceOf(KubernetesStore.class);
    assertThat(args.get(args.indexOf("--cluster-node-id") + 1)).isEqualTo("$(POD_NAME)");
  }

  @Test
  void theDeploymentRunsThreeReplicasThatEachNameThemselvesByTheirPod() throws Exception {
    JsonNode d = deployment();
    assertThat(d.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(d.at("/spec/replicas").asInt()).isEqualTo(3);
    JsonNode container = d.at("/spec/template/spec/containers/0");
    Map<String, JsonNode> env = new java.util.HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    assertThat(env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args.get(args.indexOf("--cluster-node-id") + 1)).isEqualTo("$(POD_NAME)");
    assertThat(args.get(args.indexOf("--cluster-password") + 1)).isEqualTo("$(PGPASSWORD)");
    assertThat(env.get("PGPASSWORD").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("app-db");
    assertThat(documents()).anySatisfy(doc -> {
      assertThat(doc.path("kind").asText()).isEqualTo("Secret");
      assertThat(doc.at("/metadata/name").asText()).isEqualTo("app-db");
    });
  }

  @Test
  void theClusterArgumentsAreOnesTheWorkerAccepts() throws Exception {
    JsonNode container = deployment().at("/spec/template/spec/containers/0");
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    ClusterExtension.Flags flags = new ClusterExtension.Flags();
    CommandLine cl = new CommandLine(CommandLine.Model.CommandSpec.create()).addMixin("cluster", flags);
    cl.setUnmatchedArgumentsAllowed(true); // the admin's options belong to mode-admin
    cl.parseArgs(args.toArray(String[]::new));
    assertThat(flags.store).startsWith("jdbc:postgresql://");
    assertThat(flags.lease).isEqualTo(Duration.ofSeconds(15));
    assertThat(ClusterStore.of(flags.store, flags.user, flags.password).describe()).isEqualTo(flags.store);
    assertThat(cl.getUnmatchedArguments().stream().filter(a -> a.startsWith("--")).collect(Collectors.toList()))
        .containsExactly("--admin-port", "--admin-bind", "--drain-delay");
  }

  @Test
  void podsGetTimeToDrainAndProbesUseTheAdmin() throws Exception {
    JsonNode spec = deployment().at("/spec/template/spec");
    JsonNode container = spec.at("/containers/0");
    assertThat(spec.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(5 + 10);
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(6066);
  }
}
