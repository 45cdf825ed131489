package io.kubevisor.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;

class PatchTypeTest {

    @Test
    void recognisesTheFourKubernetesPatchMediaTypes() {
        assertThat(PatchType.fromContentType("application/json-patch+json")).contains(PatchType.JSON);
        assertThat(PatchType.fromContentType("application/merge-patch+json")).contains(PatchType.MERGE);
        assertThat(PatchType.fromContentType("application/strategic-merge-patch+json")).contains(PatchType.STRATEGIC);
        assertThat(PatchType.fromContentType("application/apply-patch+yaml")).contains(PatchType.APPLY);
    }

    @Test
    void ignoresParametersLikeKubernetes() {
        assertThat(PatchType.fromContentType("application/merge-patch+json; charset=utf-8")).contains(PatchType.MERGE);
    }

    @Test
    void rejectsTypesKubernetesDoesNotServe() {
        assertThat(PatchType.fromContentType("application/apply-patch+json")).isEmpty();
        assertThat(PatchType.fromContentType("application/json")).isEmpty();
        assertThat(PatchType.fromContentType(null)).isEmpty();
    }

    @Test
    void applyBodiesMayBeYamlOrJson() {
        var yaml = PatchType.APPLY.decode("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n".getBytes(StandardCharsets.UTF_8));
        var json = PatchType.APPLY.decode("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"a\":\"b\"}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(yaml).isEqualTo(json);
    }

    @Test
    void malformedBodiesAreBadRequestsWithKubernetesPrefixes() {
        byte[] bad = "{not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PatchType.JSON.decode(bad))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage()).startsWith("error decoding patch: "));
        assertThatThrownBy(() -> PatchType.MERGE.decode(bad))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage()).startsWith("error decoding patch: "));
        assertThatThrownBy(() -> PatchType.APPLY.decode("a: [".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage()).startsWith("error decoding YAML: "));
    }
}
