package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.message;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class ConfigMapStrategyTest {

    private final ConfigMapStrategy configMaps = new ConfigMapStrategy();

    @Test
    void validConfigMap() {
        ObjectNode cm = json("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"settings","namespace":"default"},
                 "data":{"app.properties":"a=b","LOG_LEVEL":"debug"},"binaryData":{"logo.png":"iVBORw=="}}""");
        assertThat(created(configMaps, cm).path("data")).isEqualTo(cm.path("data"));
        assertThat(createErrors(configMaps, cm, true)).isEmpty();
    }

    @Test
    void keysMustBeValidAndNotRepeatedAcrossDataAndBinaryData() {
        assertThat(rendered(createErrors(configMaps, json("""
                {"metadata":{"name":"c","namespace":"default"},"data":{"a/b":"x","dup":"y"},"binaryData":{"dup":"eA=="}}"""),
                true))).containsExactly(
                "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' "
                        + "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                        + "'[-._a-zA-Z0-9]+')",
                "data[dup]: Invalid value: \"dup\": duplicate of key present in binaryData");
    }

    @Test
    void totalSizeCountsDataAndBinaryData() {
        String half = "x".repeat(600 * 1024);
        String binary = Base64.getEncoder().encodeToString(new byte[500 * 1024]);
        var errs = createErrors(configMaps, json("""
                {"metadata":{"name":"big","namespace":"default"},"data":{"a":"%s"},"binaryData":{"b":"%s"}}"""
                .formatted(half, binary)), true);
        assertThat(message("", "ConfigMap", "big", errs))
                .isEqualTo("ConfigMap \"big\" is invalid: []: Too long: may not be more than 1048576 bytes");
    }

    @Test
    void immutableConfigMapsRejectDataChanges() {
        ObjectNode stored = created(configMaps, json("""
                {"metadata":{"name":"c","namespace":"default"},"data":{"a":"1"},"immutable":true}"""));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("data")).put("a", "2");
        assertThat(rendered(updateErrors(configMaps, stored, next))).containsExactly(
                "data: Forbidden: field is immutable when `immutable` is set");
        ObjectNode labelled = stored.deepCopy();
        ((ObjectNode) labelled.get("metadata")).putObject("labels").put("a", "b");
        assertThat(updateErrors(configMaps, stored, labelled)).isEmpty();
    }
}
