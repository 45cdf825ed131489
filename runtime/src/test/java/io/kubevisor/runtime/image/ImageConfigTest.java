package io.kubevisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.kubevisor.api.Json;
import org.junit.jupiter.api.Test;

/** Reading an image config and resolving a container's command line from it. */
class ImageConfigTest {

    private final ImageConfig config = ImageConfig.fromImageConfigJson(Json.parse("""
            {"architecture": "amd64", "os": "linux",
             "config": {"Entrypoint": ["/bin/sh"], "Cmd": ["-c", "echo hi"], "Env": ["PATH=/bin", "A=b=c"],
                        "WorkingDir": "/srv", "User": "1000:1000", "ExposedPorts": {"80/tcp": {}, "53/udp": {}},
                        "Labels": {"k": "v"}, "StopSignal": "SIGQUIT"},
             "rootfs": {"type": "layers", "diff_ids": []}}"""));

    @Test
    void readsTheRuntimeConfig() {
        assertThat(config.entrypoint()).containsExactly("/bin/sh");
        assertThat(config.cmd()).containsExactly("-c", "echo hi");
        assertThat(config.env()).containsExactly("PATH=/bin", "A=b=c");
        assertThat(config.workingDir()).isEqualTo("/srv");
        assertThat(config.user()).isEqualTo("1000:1000");
        assertThat(config.exposedPorts()).containsExactly("80/tcp", "53/udp");
        assertThat(config.labels()).isEqualTo(Map.of("k", "v"));
        assertThat(config.stopSignal()).isEqualTo("SIGQUIT");
    }

    @Test
    void missingFieldsAreEmpty() {
        ImageConfig empty = ImageConfig.fromImageConfigJson(Json.parse("{\"config\": {\"Cmd\": null}}"));
        assertThat(empty.entrypoint()).isEmpty();
        assertThat(empty.cmd()).isEmpty();
        assertThat(empty.workingDir()).isEmpty();
        assertThat(ImageConfig.fromImageConfigJson(Json.parse("{}")).env()).isEmpty();
    }

    @Test
    void resolvesCommandAndArgsAsKubernetesDoes() {
        assertThat(config.commandLine(null, null)).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(config.commandLine(List.of(), List.of("-c", "date"))).containsExactly("/bin/sh", "-c", "date");
        assertThat(config.commandLine(List.of("/bin/echo"), null)).containsExactly("/bin/echo");
        assertThat(config.commandLine(List.of("/bin/echo"), List.of("x"))).containsExactly("/bin/echo", "x");
    }
}
