package io.kubevisor.e2e.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/** The first thing a user does: start Kubevisor and use it with kubectl, oldest and newest. */
class KubectlSmokeIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.27", "1.33"})
    void createAndListNamespaces(String version) throws Exception {
        Kubectl k = Kubectl.of(version, cluster, tmp.resolve("home-" + version));
        String ns = "smoke-" + version.replace(".", "");
        assertThat(k.run("create", "namespace", ns).assertOk().stdout()).isEqualTo("namespace/" + ns + " created\n");
        String out = k.run("get", "namespaces").assertOk().stdout();
        assertThat(out.lines().findFirst()).hasValue("NAME              STATUS   AGE");
        assertThat(out).containsPattern("(?m)^" + ns + " +Active +\\d+s$");
        assertThat(out).containsPattern("(?m)^kube-system +Active ");
        assertThat(k.run("version").assertOk().stdout()).containsPattern("Server Version: .*v1\\.32\\.3\\+kubevisor");
    }
}
