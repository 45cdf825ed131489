package io.kubevisor.apiserver.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;

class SelectorTest {

    @Test
    void labelSelectorSyntax() {
        Map<String, String> web = Map.of("app", "web", "tier", "front", "n", "7");
        assertThat(LabelSelector.parse("app=web").matches(web)).isTrue();
        assertThat(LabelSelector.parse("app==web,tier!=back").matches(web)).isTrue();
        assertThat(LabelSelector.parse("app in (db, cache)").matches(web)).isFalse();
        assertThat(LabelSelector.parse("app notin (db,cache)").matches(web)).isTrue();
        assertThat(LabelSelector.parse("tier").matches(web)).isTrue();
        assertThat(LabelSelector.parse("!tier").matches(web)).isFalse();
        assertThat(LabelSelector.parse("n>5,n<10").matches(web)).isTrue();
        assertThat(LabelSelector.parse("").matches(web)).isTrue();
        assertThat(LabelSelector.parse("missing!=x").matches(web)).isTrue();
    }

    @Test
    void labelSelectorErrorsAreBadRequests() {
        assertThatThrownBy(() -> LabelSelector.parse("app=we b")).isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> LabelSelector.parse("app in (a")).isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> LabelSelector.parse("-bad=x")).isInstanceOf(ApiException.BadRequest.class);
    }

    @Test
    void fieldSelectorOnlyOnSupportedFields() {
        Set<String> fields = Set.of("metadata.name", "status.phase");
        FieldSelector s = FieldSelector.parse("metadata.name=x,status.phase!=Running", fields);
        assertThat(s.matches(Map.of("metadata.name", "x", "status.phase", "Pending"))).isTrue();
        assertThat(s.matches(Map.of("metadata.name", "x", "status.phase", "Running"))).isFalse();
        assertThat(s.exact("metadata.name")).contains("x");
        assertThatThrownBy(() -> FieldSelector.parse("spec.bogus=1", fields))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("field label not supported: spec.bogus");
    }
}
