package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LimitRangeStrategyTest {

    private final LimitRangeStrategy ranges = new LimitRangeStrategy();

    @Test
    void containerDefaultsComeFromMaxAndMin() {
        var lr = created(ranges, json("""
                {"kind":"LimitRange","apiVersion":"v1","metadata":{"name":"limits","namespace":"default"},
                 "spec":{"limits":[{"type":"Container","max":{"cpu":"2","memory":"1024Mi"},"min":{"cpu":"100m"},
                   "default":{"cpu":"1"}},{"type":"Pod","max":{"cpu":"4"}}]}}"""));
        assertThat(lr.path("spec").path("limits")).isEqualTo(io.kubevisor.apiserver.kinds.Fixtures.node("""
                [{"type":"Container","max":{"cpu":"2","memory":"1Gi"},"min":{"cpu":"100m"},
                  "default":{"cpu":"1","memory":"1Gi"},"defaultRequest":{"cpu":"1","memory":"1Gi"}},
                 {"type":"Pod","max":{"cpu":"4"}}]"""));
    }

    @Test
    void orderingOfMinMaxAndDefaults() {
        assertThat(rendered(createErrors(ranges, json("""
                {"metadata":{"name":"l","namespace":"default"},"spec":{"limits":[{"type":"Container",
                  "min":{"cpu":"2"},"max":{"cpu":"1"},"maxLimitRequestRatio":{"memory":"0.5"}},
                  {"type":"Pod","default":{"cpu":"1"}},{"type":"Container"},{"type":"Volume"}]}}"""), true)))
                .containsExactly(
                        "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1",
                        "spec.limits[0].defaultRequest[cpu]: Invalid value: \"1\": min value 2 is greater than default "
                                + "request value 1",
                        "spec.limits[0].default[cpu]: Invalid value: \"2\": min value 2 is greater than default value 1",
                        "spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: \"500m\": ratio 500m is less than 1",
                        "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
                        "spec.limits[2].type: Duplicate value: \"Container\"",
                        "spec.limits[3].type: Invalid value: \"Volume\": must be a standard limit type or fully qualified");
    }
}
