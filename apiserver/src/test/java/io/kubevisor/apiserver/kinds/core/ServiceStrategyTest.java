package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.updated;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class ServiceStrategyTest {

    private final ServiceStrategy services = new ServiceStrategy();

    @Test
    void kubectlCreateServiceFromProtobuf() {
        // kubectl create service clusterip web --tcp=80:8080 (zero values as protobuf carries them)
        ObjectNode svc = created(services, json("""
                {"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
                 "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],
                   "selector":{"app":"web"},"type":"ClusterIP","publishNotReadyAddresses":false},"status":{"loadBalancer":{}}}"""));
        assertThat(svc.get("spec")).isEqualTo(json("""
                {"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],"selector":{"app":"web"},
                 "type":"ClusterIP","sessionAffinity":"None","internalTrafficPolicy":"Cluster",
                 "ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"]}"""));
        assertThat(svc.get("status")).isEqualTo(json("{\"loadBalancer\":{}}"));
    }

    @Test
    void targetPortDefaultsToPortAlsoFromZero() {
        ObjectNode svc = created(services, json("""
                {"metadata":{"name":"web","namespace":"default"},"spec":{"type":"NodePort",
                  "ports":[{"port":80,"targetPort":0},{"name":"b","port":81,"targetPort":""},{"name":"c","port":82}]}}"""));
        assertThat(svc.path("spec").path("ports").toString()).isEqualTo(
                "[{\"port\":80,\"targetPort\":80,\"protocol\":\"TCP\"},{\"name\":\"b\",\"port\":81,\"targetPort\":81,"
                        + "\"protocol\":\"TCP\"},{\"name\":\"c\",\"port\":82,\"protocol\":\"TCP\",\"targetPort\":82}]");
        assertThat(svc.path("spec").path("externalTrafficPolicy").asString()).isEqualTo("Cluster");
    }

    @Test
    void typeSpecificDefaults() {
        ObjectNode lb = created(services, json("""
                {"metadata":{"name":"lb","namespace":"default"},"spec":{"type":"LoadBalancer","ports":[{"port":443}],
                  "sessionAffinity":"ClientIP"}}"""));
        assertThat(lb.path("spec").path("allocateLoadBalancerNodePorts").asBoolean()).isTrue();
        assertThat(lb.path("spec").path("sessionAffinityConfig")).isEqualTo(json("{\"clientIP\":{\"timeoutSeconds\":10800}}"));
        ObjectNode ext = created(services, json("""
                {"metadata":{"name":"db","namespace":"default"},"spec":{"type":"ExternalName","externalName":"db.example.com"}}"""));
        assertThat(ext.get("spec")).isEqualTo(json("""
                {"type":"ExternalName","externalName":"db.example.com","sessionAffinity":"None"}"""));
        assertThat(createErrors(services, ext, true)).isEmpty();
        ObjectNode headless = created(services, json("""
                {"metadata":{"name":"peers","namespace":"default"},"spec":{"clusterIP":"None","ports":[{"port":5432}]}}"""));
        assertThat(headless.path("spec").path("ipFamilyPolicy").asString()).isEqualTo("RequireDualStack");
        assertThat(headless.path("spec").path("clusterIPs").toString()).isEqualTo("[\"None\"]");
    }

    @Test
    void validationMessages() {
        assertThat(rendered(createErrors(services, json("""
                {"metadata":{"name":"web","namespace":"default"},"spec":{"ports":[]}}"""), true)))
                .containsExactly("spec.ports: Required value");
        assertThat(rendered(createErrors(services, json("""
                {"metadata":{"name":"9web","namespace":"default"},"spec":{"type":"Fancy","ports":[{"port":80},
                  {"port":0,"protocol":"HTTP"}]}}"""), true))).containsExactly(
                "metadata.name: Invalid value: \"9web\": a DNS-1035 label must consist of lower case alphanumeric "
                        + "characters or '-', start with an alphabetic character, and end with an alphanumeric character "
                        + "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
                "spec.ports[0].name: Required value",
                "spec.ports[1].name: Required value",
                "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.type: Unsupported value: \"Fancy\": supported values: \"ClusterIP\", \"ExternalName\", "
                        + "\"LoadBalancer\", \"NodePort\"");
        assertThat(rendered(createErrors(services, json("""
                {"metadata":{"name":"web","namespace":"default"},"spec":{"ports":[{"port":80,"nodePort":30080}]}}"""),
                true))).containsExactly("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    }

    @Test
    void allocatedValuesSurviveUpdatesThatLeaveThemOut() {
        ObjectNode stored = created(services, json("""
                {"metadata":{"name":"web","namespace":"default"},"spec":{"type":"NodePort","ports":[{"port":80}]}}"""));
        ObjectNode spec = (ObjectNode) stored.get("spec");
        spec.put("clusterIP", "10.96.0.20").putArray("clusterIPs").add("10.96.0.20");
        ((ObjectNode) spec.path("ports").get(0)).put("nodePort", 30080);
        ObjectNode next = json("""
                {"metadata":{"name":"web","namespace":"default"},"spec":{"type":"NodePort","ports":[{"port":80}],
                  "selector":{"app":"web"}}}""");
        ObjectNode result = updated(services, stored, next);
        assertThat(result.path("spec").path("clusterIP").asString()).isEqualTo("10.96.0.20");
        assertThat(result.path("spec").path("ports").get(0).path("nodePort").asInt()).isEqualTo(30080);
        assertThat(services.validateUpdate(result, stored)).isEmpty();
    }

    @Test
    void clusterIpMayNotChange() {
        ObjectNode stored = created(services, json("""
                {"metadata":{"name":"web","namespace":"default"},"spec":{"clusterIP":"10.96.0.20","ports":[{"port":80}]}}"""));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("spec")).put("clusterIP", "10.96.0.21").putArray("clusterIPs").add("10.96.0.21");
        assertThat(rendered(updateErrors(services, stored, next))).containsExactly(
                "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.21\"}: may not change once set");
    }

    @Test
    void changingToExternalNameDropsTheAllocatedAddresses() {
        ObjectNode stored = created(services, json("""
                {"metadata":{"name":"web","namespace":"default"},"spec":{"clusterIP":"10.96.0.20","ports":[{"port":80}]}}"""));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("spec")).put("type", "ExternalName").put("externalName", "web.example.com");
        ObjectNode result = updated(services, stored, next);
        assertThat(result.path("spec").has("clusterIP")).isFalse();
        assertThat(result.path("spec").has("ipFamilies")).isFalse();
        assertThat(services.validateUpdate(result, stored)).isEmpty();
    }

    @Test
    void flagsAndFields() {
        assertThat(services.allowCreateOnUpdate()).isTrue();
        assertThat(services.returnDeletedObject()).isTrue();
        ObjectNode svc = created(services, json("""
                {"metadata":{"name":"web","namespace":"default"},"spec":{"clusterIP":"10.96.0.20","ports":[{"port":80}]}}"""));
        assertThat(services.selectableFields(svc)).containsEntry("spec.clusterIP", "10.96.0.20")
                .containsEntry("spec.type", "ClusterIP");
    }
}
