package io.kubevisor.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import tools.jackson.databind.JsonNode;

class MergePatchTest {

    @Test
    void mergesObjectsDeletesNullsAndReplacesLists() {
        JsonNode doc = J.of("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'list':[1,2],'x':1}}");
        JsonNode out = MergePatch.apply(doc, J.of("{'metadata':{'labels':{'a':null,'c':'3'}},'spec':{'list':[3]}}"));
        assertThat(out).isEqualTo(J.of("{'metadata':{'labels':{'b':'2','c':'3'}},'spec':{'list':[3],'x':1}}"));
    }

    @Test
    void rfc7386Examples() {
        JsonNode doc = J.of("{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},'tags':['example','sample'],'content':'This will be unchanged'}");
        JsonNode patch = J.of("{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},'tags':['example']}");
        assertThat(MergePatch.apply(doc, patch)).isEqualTo(J.of(
                "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}"));
    }

    @Test
    void nullsInsideAddedValuesAreDropped() {
        assertThat(MergePatch.apply(J.of("{}"), J.of("{'a':{'b':null,'c':1}}"))).isEqualTo(J.of("{'a':{'c':1}}"));
    }

    @Test
    void scaleStylePatch() {
        JsonNode out = MergePatch.apply(J.of("{'spec':{'replicas':1,'selector':{}}}"), J.of("{'spec':{'replicas':3}}"));
        assertThat(out.at("/spec/replicas").asInt()).isEqualTo(3);
    }

    @Test
    void aNonObjectPatchIsABadRequest() {
        assertThatThrownBy(() -> MergePatch.apply(J.of("{}"), J.of("[1]")))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage()).isEqualTo("Invalid JSON Patch"));
    }
}
