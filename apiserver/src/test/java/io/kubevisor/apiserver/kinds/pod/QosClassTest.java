package io.kubevisor.apiserver.kinds.pod;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QosClassTest {

    private final PodStrategy pods = new PodStrategy();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // requests equal limits in other notations: still Guaranteed
        "{'limits':{'cpu':'1','memory':'1Gi'},'requests':{'cpu':'1000m','memory':'1024Mi'}}|Guaranteed",
        // requests default to limits
        "{'limits':{'cpu':'500m','memory':'256Mi'}}|Guaranteed",
        "{'limits':{'cpu':'1','memory':'1Gi'},'requests':{'cpu':'999m','memory':'1Gi'}}|Burstable",
        "{'requests':{'cpu':'100m'}}|Burstable",
        "{'limits':{'cpu':'1'}}|Burstable",
        "{}|BestEffort",
        // zero requests do not count
        "{'requests':{'cpu':'0','memory':'0'}}|BestEffort",
        // only cpu and memory matter
        "{'requests':{'ephemeral-storage':'1Gi'}}|BestEffort",
    })
    void classFollowsRequestsAndLimits(String resources, String expected) {
        String pod = """
                {"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"a","image":"busybox",
                  "resources":%s}]}}""".formatted(resources.replace('\'', '"'));
        assertThat(created(pods, json(pod)).path("status").path("qosClass").asString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "init {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{'limits':{'cpu':'1','memory':'1Gi'}}|Guaranteed",
        "{}|Burstable",
    })
    void initContainersCountToo(String initResources, String expected) {
        String pod = """
                {"metadata":{"name":"p","namespace":"default"},"spec":{
                  "initContainers":[{"name":"init","image":"busybox","resources":%s}],
                  "containers":[{"name":"a","image":"busybox","resources":{"limits":{"cpu":"2","memory":"2Gi"}}}]}}"""
                .formatted(initResources.replace('\'', '"'));
        assertThat(created(pods, json(pod)).path("status").path("qosClass").asString()).isEqualTo(expected);
    }
}
