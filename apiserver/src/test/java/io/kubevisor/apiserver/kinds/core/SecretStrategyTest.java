package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import tools.jackson.databind.node.ObjectNode;

class SecretStrategyTest {

    private final SecretStrategy secrets = new SecretStrategy();

    @Test
    void stringDataIsFoldedIntoDataAndTypeDefaults() {
        ObjectNode s = created(secrets, json("""
                {"kind":"Secret","apiVersion":"v1","metadata":{"name":"db","namespace":"default"},
                 "data":{"user":"YWRtaW4="},"stringData":{"password":"s3cret","user":"root"}}"""));
        assertThat(s.path("type").asString()).isEqualTo("Opaque");
        assertThat(s.has("stringData")).isFalse();
        assertThat(s.path("data")).isEqualTo(json("{\"user\":\"cm9vdA==\",\"password\":\"czNjcmV0\"}"));
    }

    @Test
    void badBase64IsABadRequest() {
        assertThatThrownBy(() -> created(secrets, json("""
                {"kind":"Secret","apiVersion":"v1","metadata":{"name":"db","namespace":"default"},"data":{"k":"abc!"}}""")))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3");
    }

    @Test
    void keysAndSize() {
        String big = Base64.getEncoder().encodeToString(new byte[1024 * 1024 + 1]);
        assertThat(rendered(createErrors(secrets, json("""
                {"metadata":{"name":"db","namespace":"default"},"data":{"a b":"eA==","..x":"eA==","big":"%s"}}"""
                .formatted(big)), true))).containsExactly(
                "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' "
                        + "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
                        + "'[-._a-zA-Z0-9]+')",
                "data[..x]: Invalid value: \"..x\": must not start with '..'",
                "data: Too long: may not be more than 1048576 bytes");
    }

    @Test
    void typesRequireTheirKeys() {
        assertThat(rendered(createErrors(secrets, json("""
                {"metadata":{"name":"tls","namespace":"default"},"type":"kubernetes.io/tls","data":{"tls.crt":"eA=="}}"""),
                true))).containsExactly("data[tls.key]: Required value");
        assertThat(rendered(createErrors(secrets, json("""
                {"metadata":{"name":"reg","namespace":"default"},"type":"kubernetes.io/dockerconfigjson",
                 "data":{".dockerconfigjson":"aGVsbG8="}}"""), true))).containsExactly(
                "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'h' looking "
                        + "for beginning of value");
        assertThat(rendered(createErrors(secrets, json("""
                {"metadata":{"name":"sa","namespace":"default"},"type":"kubernetes.io/service-account-token"}"""), true)))
                .containsExactly("metadata.annotations[kubernetes.io/service-account.name]: Required value");
    }

    @Test
    void dockerConfigMustBeAJsonObject() {
        assertThat(SecretStrategy.jsonProblem("not json")).isEqualTo("invalid character 'o' in literal null (expecting 'u')");
        assertThat(SecretStrategy.jsonProblem("[1]"))
                .isEqualTo("json: cannot unmarshal array into Go value of type map[string]interface {}");
        assertThat(SecretStrategy.jsonProblem("{\"auths\":{}}")).isNull();
        assertThat(SecretStrategy.jsonProblem("")).isEqualTo("unexpected end of JSON input");
    }

    @Test
    void typeIsImmutableAndImmutableSecretsStaySo() {
        ObjectNode stored = created(secrets, json("""
                {"metadata":{"name":"db","namespace":"default"},"data":{"k":"eA=="},"immutable":true}"""));
        ObjectNode next = stored.deepCopy();
        next.put("type", "kubernetes.io/basic-auth").put("immutable", false);
        ((ObjectNode) next.get("data")).put("k", "eQ==");
        assertThat(rendered(updateErrors(secrets, stored, next))).containsExactly(
                "type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable",
                "immutable: Forbidden: field is immutable when `immutable` is set",
                "data: Forbidden: field is immutable when `immutable` is set",
                "data[username]: Required value",
                "data[password]: Required value");
        assertThat(secrets.selectableFields(stored)).containsEntry("type", "Opaque");
    }
}
