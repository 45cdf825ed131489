package io.kubevisor.apiserver.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestInfoTest {

    private static RequestInfo parse(String method, String path, String query) {
        return RequestInfo.parse(path, method, Query.parse(query));
    }

    @Test
    void namespacedItemAndSubresource() {
        RequestInfo i = parse("GET", "/apis/apps/v1/namespaces/demo/deployments/web/scale", "");
        assertThat(i.resourceRequest()).isTrue();
        assertThat(i.group()).isEqualTo("apps");
        assertThat(i.version()).isEqualTo("v1");
        assertThat(i.namespace()).isEqualTo("demo");
        assertThat(i.resource()).isEqualTo("deployments");
        assertThat(i.name()).isEqualTo("web");
        assertThat(i.subresource()).isEqualTo("scale");
        assertThat(i.verb()).isEqualTo("get");
    }

    @Test
    void collectionVerbsFollowMethodAndWatchFlag() {
        assertThat(parse("GET", "/api/v1/namespaces/default/pods", "").verb()).isEqualTo("list");
        assertThat(parse("GET", "/api/v1/namespaces/default/pods", "watch=true").verb()).isEqualTo("watch");
        assertThat(parse("GET", "/api/v1/watch/namespaces/default/pods", "").verb()).isEqualTo("watch");
        assertThat(parse("POST", "/api/v1/namespaces/default/pods", "").verb()).isEqualTo("create");
        assertThat(parse("DELETE", "/api/v1/namespaces/default/pods", "").verb()).isEqualTo("deletecollection");
        assertThat(parse("DELETE", "/api/v1/namespaces/default/pods/x", "").verb()).isEqualTo("delete");
        assertThat(parse("PATCH", "/api/v1/namespaces/default/pods/x", "").verb()).isEqualTo("patch");
        assertThat(parse("PUT", "/api/v1/namespaces/default/pods/x/status", "").verb()).isEqualTo("update");
    }

    @Test
    void namespaceItselfAndItsSubresources() {
        RequestInfo ns = parse("GET", "/api/v1/namespaces/foo", "");
        assertThat(ns.resource()).isEqualTo("namespaces");
        assertThat(ns.name()).isEqualTo("foo");
        RequestInfo fin = parse("PUT", "/api/v1/namespaces/foo/finalize", "");
        assertThat(fin.resource()).isEqualTo("namespaces");
        assertThat(fin.name()).isEqualTo("foo");
        assertThat(fin.subresource()).isEqualTo("finalize");
        RequestInfo list = parse("GET", "/api/v1/namespaces", "");
        assertThat(list.resource()).isEqualTo("namespaces");
        assertThat(list.verb()).isEqualTo("list");
    }

    @Test
    void clusterWideListAndNonResourcePaths() {
        RequestInfo all = parse("GET", "/api/v1/pods", "");
        assertThat(all.namespace()).isEmpty();
        assertThat(all.verb()).isEqualTo("list");
        assertThat(parse("GET", "/version", "").resourceRequest()).isFalse();
        assertThat(parse("GET", "/apis/apps/v1", "").resourceRequest()).isFalse();
        assertThat(parse("GET", "/api/v1", "").resourceRequest()).isFalse();
        assertThat(parse("GET", "/api", "").verb()).isEqualTo("get");
    }
}
