package io.kubevisor.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import tools.jackson.databind.JsonNode;

class JsonPatchTest {

    private static final JsonNode DOC = J.of("{'metadata':{'name':'x','labels':{'a':'1','k/v':'2','t~x':'3'}},"
            + "'spec':{'list':['a','b','c']}}");

    private static JsonNode apply(String patch) {
        return JsonPatch.apply(DOC, J.of(patch));
    }

    @Test
    void addsReplacesAndRemovesMembers() {
        JsonNode out = apply("[{'op':'add','path':'/metadata/labels/b','value':'2'},"
                + "{'op':'replace','path':'/metadata/name','value':'y'},"
                + "{'op':'remove','path':'/metadata/labels/a'}]");
        assertThat(out).isEqualTo(J.of("{'metadata':{'name':'y','labels':{'k/v':'2','t~x':'3','b':'2'}},"
                + "'spec':{'list':['a','b','c']}}"));
        assertThat(DOC.at("/metadata/name").asString()).isEqualTo("x");
    }

    @Test
    void decodesPointerEscapes() {
        JsonNode out = apply("[{'op':'remove','path':'/metadata/labels/k~1v'},{'op':'replace','path':'/metadata/labels/t~0x','value':'9'}]");
        assertThat(out.at("/metadata/labels")).isEqualTo(J.of("{'a':'1','t~x':'9'}"));
    }

    @Test
    void insertsAtIndexesAndAppendsWithDash() {
        JsonNode out = apply("[{'op':'add','path':'/spec/list/1','value':'x'},{'op':'add','path':'/spec/list/-','value':'z'},"
                + "{'op':'add','path':'/spec/list/5','value':'end'}]");
        assertThat(out.at("/spec/list")).isEqualTo(J.of("['a','x','b','c','z','end']"));
    }

    @Test
    void movesCopiesAndTests() {
        JsonNode out = apply("[{'op':'test','path':'/metadata/name','value':'x'},"
                + "{'op':'copy','from':'/metadata/labels','path':'/spec/labels'},"
                + "{'op':'move','from':'/spec/list/0','path':'/spec/list/-'}]");
        assertThat(out.at("/spec/labels")).isEqualTo(DOC.at("/metadata/labels"));
        assertThat(out.at("/spec/list")).isEqualTo(J.of("['b','c','a']"));
    }

    @Test
    void replacingAMissingMemberAddsItAsKubernetesDoes() {
        assertThat(apply("[{'op':'replace','path':'/metadata/labels/new','value':'v'}]").at("/metadata/labels/new").asString())
                .isEqualTo("v");
    }

    @Test
    void removingAMissingPathIs422WithTheLibraryMessageAsCause() {
        assertThatThrownBy(() -> apply("[{'op':'remove','path':'/metadata/labels/nope'}]"))
                .isInstanceOfSatisfying(ApiException.Invalid.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
                    assertThat(e.details().causes()).singleElement().satisfies(c -> {
                        assertThat(c.reason()).isEqualTo("UnexpectedServerResponse");
                        assertThat(c.message()).isEqualTo(
                                "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value");
                    });
                });
        assertThatThrownBy(() -> apply("[{'op':'remove','path':'/status/phase'}]"))
                .isInstanceOfSatisfying(ApiException.Invalid.class, e -> assertThat(e.details().causes().getFirst().message())
                        .isEqualTo("remove operation does not apply: doc is missing path: \"/status/phase\": missing value"));
    }

    @Test
    void failedTestIs422() {
        assertThatThrownBy(() -> apply("[{'op':'test','path':'/metadata/name','value':'other'},{'op':'remove','path':'/metadata'}]"))
                .isInstanceOfSatisfying(ApiException.Invalid.class, e -> assertThat(e.details().causes().getFirst().message())
                        .isEqualTo("testing value /metadata/name failed: test failed"));
    }

    @Test
    void badIndexesAre422() {
        assertThatThrownBy(() -> apply("[{'op':'add','path':'/spec/list/9','value':'x'}]"))
                .isInstanceOfSatisfying(ApiException.Invalid.class, e -> assertThat(e.details().causes().getFirst().message())
                        .isEqualTo("error in add for path: '/spec/list/9': Unable to access invalid index: 9: invalid index referenced"));
    }

    @Test
    void unknownOperationIs422() {
        assertThatThrownBy(() -> apply("[{'op':'frobnicate','path':'/a'}]"))
                .isInstanceOfSatisfying(ApiException.Invalid.class, e -> assertThat(e.details().causes().getFirst().message())
                        .isEqualTo("Unexpected kind: frobnicate"));
    }

    @Test
    void aPatchThatIsNotAListOfOperationsIsABadRequest() {
        assertThatThrownBy(() -> apply("{'op':'add'}"))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                        .isEqualTo("error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp"));
        assertThatThrownBy(() -> apply("[{'op':1}]")).isInstanceOf(ApiException.BadRequest.class);
    }

    @Test
    void tooManyOperationsIs413() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
            sb.append(i == 0 ? "" : ",").append("{'op':'test','path':'/metadata/name','value':'x'}");
        }
        assertThatThrownBy(() -> apply(sb.append("]").toString()))
                .isInstanceOfSatisfying(ApiException.RequestEntityTooLarge.class, e -> assertThat(e.getMessage())
                        .isEqualTo("The allowed maximum operations in a JSON patch is 10000, got 10001"));
    }

    @Test
    void anOperationFailingMidwayLeavesTheInputUntouched() {
        assertThatThrownBy(() -> apply("[{'op':'remove','path':'/spec'},{'op':'remove','path':'/nope'}]"))
                .isInstanceOf(ApiException.Invalid.class);
        assertThat(DOC.has("spec")).isTrue();
    }
}
