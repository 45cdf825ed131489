package io.kubevisor.apiserver.patch;

import static io.kubevisor.apiserver.patch.TestSchemas.integer;
import static io.kubevisor.apiserver.patch.TestSchemas.list;
import static io.kubevisor.apiserver.patch.TestSchemas.map;
import static io.kubevisor.apiserver.patch.TestSchemas.object;
import static io.kubevisor.apiserver.patch.TestSchemas.set;
import static io.kubevisor.apiserver.patch.TestSchemas.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;

class StrategicMergePatchTest {

    /**
     * The shape of apimachinery's own test type: merging and non-merging lists of items and of
     * ints, a retainKeys map and a merging retainKeys list, nested a few levels deep.
     */
    static FieldSchema mergeItem(int depth) {
        if (depth == 0) {
            return object("mergeItem", "name", string(), "value", string(), "other", string());
        }
        FieldSchema inner = mergeItem(depth - 1);
        return object("mergeItem", "name", string(), "value", string(), "other", string(),
                "mergingList", list(inner).patch("merge", "name"),
                "mergeItemPtr", list(inner).patch("merge", "name"),
                "nonMergingList", list(inner),
                "mergingIntList", list(integer()).patch("merge", ""),
                "nonMergingIntList", list(integer()),
                "simpleMap", map(string()),
                "retainKeysMap", object("retainKeysMapItem", "name", string(), "value", string(), "other", string(),
                        "simpleMap", map(string()), "mergingList", list(inner).patch("merge", "name"))
                        .patch("retainKeys", ""),
                "retainKeysMergingList", list(inner).patch("merge,retainKeys", "name"));
    }

    private static final FieldSchema ITEM = mergeItem(3);

    private static JsonNode smp(String current, String patch) {
        return StrategicMergePatch.apply(J.of(current), J.of(patch), ITEM);
    }

    /** Cases whose current object, three-way patch and result come from apimachinery's patch tests. */
    @Nested
    class FromKubernetesCases {

        @Test
        void addAnItemInAListAndPreserveOrder() {
            assertThat(smp("{'mergingList':[{'name':'1','other':'a'},{'name':'2','value':'2','other':'b'}]}",
                    "{'$setElementOrder/mergingList':[{'name':'3'},{'name':'1'},{'name':'2'}],"
                            + "'mergingList':[{'name':'3','value':'3'}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'3','value':'3'},{'name':'1','other':'a'},"
                            + "{'name':'2','value':'2','other':'b'}]}"));
        }

        @Test
        void addMultipleItemsInAListAndPreserveOrder() {
            assertThat(smp("{'mergingList':[{'name':'1','other':'a'},{'name':'2','value':'2','other':'b'}]}",
                    "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'4'},{'name':'2'},{'name':'3'}],"
                            + "'mergingList':[{'name':'4','value':'4'},{'name':'3','value':'3'}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'1','other':'a'},{'name':'4','value':'4'},"
                            + "{'name':'2','value':'2','other':'b'},{'name':'3','value':'3'}]}"));
        }

        @Test
        void setElementOrderWithServerOnlyItems() {
            assertThat(smp("{'mergingList':[{'name':'1','other':'a'},{'name':'3','value':'3'},{'name':'4','value':'4'},"
                            + "{'name':'2','value':'2'},{'name':'9'}]}",
                    "{'$setElementOrder/mergingList':[{'name':'4'},{'name':'2'},{'name':'3'},{'name':'1'}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'4','value':'4'},{'name':'2','value':'2'},"
                            + "{'name':'3','value':'3'},{'name':'1','other':'a'},{'name':'9'}]}"));
        }

        @Test
        void setElementOrderWithServerOnlyItemsInTheMiddle() {
            assertThat(smp("{'mergingList':[{'name':'1','other':'a'},{'name':'2','value':'2'},{'name':'7'},{'name':'9'},"
                            + "{'name':'8'},{'name':'3','value':'3'},{'name':'4','value':'4'}]}",
                    "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'},{'name':'4'},{'name':'3'}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'2','value':'2'},{'name':'1','other':'a'},{'name':'7'},"
                            + "{'name':'9'},{'name':'8'},{'name':'4','value':'4'},{'name':'3','value':'3'}]}"));
        }

        @Test
        void addMultipleItemsInAnIntListAndPreserveOrder() {
            assertThat(smp("{'mergingIntList':[1,2]}",
                    "{'$setElementOrder/mergingIntList':[1,4,2,3],'mergingIntList':[4,3]}"))
                    .isEqualTo(J.of("{'mergingIntList':[1,4,2,3]}"));
        }

        @Test
        void mergeListsOfScalarsKeepsServerOnlyItems() {
            assertThat(smp("{'mergingIntList':[1,2,4]}", "{'$setElementOrder/mergingIntList':[1,2,3],'mergingIntList':[3]}"))
                    .isEqualTo(J.of("{'mergingIntList':[1,2,3,4]}"));
        }

        @Test
        void deleteAndReorderInOneListReorderInAnother() {
            assertThat(smp("{'mergingList':[{'name':'a','value':'a'},{'name':'b','value':'b'}],"
                            + "'mergeItemPtr':[{'name':'c','value':'c'},{'name':'d','value':'d'}]}",
                    "{'$setElementOrder/mergingList':[{'name':'b'}],'$setElementOrder/mergeItemPtr':[{'name':'d'},{'name':'c'}],"
                            + "'mergingList':[{'$patch':'delete','name':'a'}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'b','value':'b'}],"
                            + "'mergeItemPtr':[{'name':'d','value':'d'},{'name':'c','value':'c'}]}"));
        }

        @Test
        void duplicatesInAMergingListStayTogether() {
            String list = "[{'name':'1'},{'name':'2','value':'dup1'},{'name':'3'},{'name':'2','value':'dup2'},{'name':'4'}]";
            assertThat(smp("{'mergingList':" + list + "}",
                    "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'},{'name':'4'},{'name':'3'},{'name':'2'}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'2','value':'dup1'},{'name':'2','value':'dup2'},"
                            + "{'name':'1'},{'name':'4'},{'name':'3'}]}"));
        }

        @Test
        void retainKeysMapAddsAFieldAndClearsAField() {
            assertThat(smp("{'retainKeysMap':{'name':'foo','other':'a'}}",
                    "{'retainKeysMap':{'$retainKeys':['name','value'],'value':'bar'}}"))
                    .isEqualTo(J.of("{'retainKeysMap':{'name':'foo','value':'bar'}}"));
        }

        @Test
        void deleteFromPrimitiveListRemovesOnlyListedItems() {
            assertThat(smp("{'mergingIntList':[1,2,3]}", "{'$deleteFromPrimitiveList/mergingIntList':[2]}"))
                    .isEqualTo(J.of("{'mergingIntList':[1,3]}"));
            assertThat(smp("{'nonMergingIntList':[1,2,3]}", "{'$deleteFromPrimitiveList/nonMergingIntList':[2]}"))
                    .isEqualTo(J.of("{'nonMergingIntList':[1,3]}"));
            assertThat(smp("{'mergingIntList':[1,2]}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}"))
                    .isEqualTo(J.of("{'mergingIntList':[1,2]}"));
            assertThat(smp("{'foo':['bar']}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}"))
                    .isEqualTo(J.of("{'foo':['bar']}"));
        }

        @Test
        void missingMergeKeyFails() {
            assertThatThrownBy(() -> smp("{'mergingList':[{'name':'1'}]}", "{'mergingList':[{'value':'x'}]}"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(500);
                        assertThat(e.getMessage()).contains("does not contain declared merge key: name");
                    });
        }

        @Test
        void setElementOrderMustMatchThePatchList() {
            assertThatThrownBy(() -> smp("{'mergingList':[{'name':'1'},{'name':'2'}]}",
                    "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'2'}],"
                            + "'mergingList':[{'name':'2','value':'x'},{'name':'1','value':'y'}]}"))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                            .contains("doesn't match $setElementOrder list"));
        }
    }

    @Nested
    class Semantics {

        @Test
        void mergeWithoutSetElementOrderPutsNewItemsFirst() {
            // Items named by the patch lead unless the server knows an earlier position for both.
            assertThat(smp("{'mergingList':[{'name':'a'},{'name':'b'}]}", "{'mergingList':[{'name':'c'}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'c'},{'name':'a'},{'name':'b'}]}"));
            assertThat(smp("{'mergingList':[{'name':'a'},{'name':'b','value':'1'}]}",
                    "{'mergingList':[{'name':'b','value':'2'}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'a'},{'name':'b','value':'2'}]}"));
        }

        @Test
        void nonMergingListsAreReplaced() {
            assertThat(smp("{'nonMergingList':[{'name':'a'},{'name':'b'}],'nonMergingIntList':[1,2]}",
                    "{'nonMergingList':[{'name':'c'}],'nonMergingIntList':[3]}"))
                    .isEqualTo(J.of("{'nonMergingList':[{'name':'c'}],'nonMergingIntList':[3]}"));
        }

        @Test
        void primitiveMergeListsUnionWithoutDuplicates() {
            assertThat(smp("{'mergingIntList':[1,2]}", "{'mergingIntList':[2,3]}"))
                    .isEqualTo(J.of("{'mergingIntList':[1,2,3]}"));
            assertThat(smp("{'mergingIntList':[1,2]}", "{'mergingIntList':[3,1]}"))
                    .isEqualTo(J.of("{'mergingIntList':[3,1,2]}"));
        }

        @Test
        void nullDeletesAndMapsMerge() {
            assertThat(smp("{'simpleMap':{'a':'1','b':'2'},'value':'v','other':'o'}",
                    "{'simpleMap':{'a':null,'c':'3'},'value':null,'name':'n'}"))
                    .isEqualTo(J.of("{'simpleMap':{'b':'2','c':'3'},'other':'o','name':'n'}"));
        }

        @Test
        void patchReplaceOnAMapReplacesIt() {
            assertThat(smp("{'simpleMap':{'a':'1','b':'2'}}", "{'simpleMap':{'$patch':'replace','c':'3'}}"))
                    .isEqualTo(J.of("{'simpleMap':{'c':'3'}}"));
        }

        @Test
        void patchDeleteOnAMapEmptiesItAndDropsAnAbsentOne() {
            assertThat(smp("{'simpleMap':{'a':'1'}}", "{'simpleMap':{'$patch':'delete'}}"))
                    .isEqualTo(J.of("{'simpleMap':{}}"));
            assertThat(smp("{}", "{'simpleMap':{'$patch':'delete'}}")).isEqualTo(J.of("{}"));
        }

        @Test
        void patchReplaceInAMergingListReplacesTheList() {
            assertThat(smp("{'mergingList':[{'name':'a','value':'1'},{'name':'b'}]}",
                    "{'mergingList':[{'$patch':'replace'},{'name':'c','value':null}]}"))
                    .isEqualTo(J.of("{'mergingList':[{'name':'c'}]}"));
        }

        @Test
        void patchMergeOnAMapIsRejected() {
            assertThatThrownBy(() -> smp("{'simpleMap':{'a':'1'}}", "{'simpleMap':{'$patch':'merge'}}"))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("unknown patch type: merge"));
        }

        @Test
        void retainKeysMustCoverThePatchedKeys() {
            assertThatThrownBy(() -> smp("{'retainKeysMap':{'name':'a'}}",
                    "{'retainKeysMap':{'$retainKeys':['name'],'value':'x'}}"))
                    .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                            .isEqualTo("invalid patch format of retainKeys"));
        }

        @Test
        void listsOfListsAre422() {
            assertThatThrownBy(() -> smp("{'mergingIntList':[[1]]}", "{'mergingIntList':[[2]]}"))
                    .isInstanceOfSatisfying(ApiException.Invalid.class, e -> assertThat(e.details().causes().getFirst().message())
                            .isEqualTo("lists of lists are not supported"));
        }

        @Test
        void malformedDirectiveKeysAreBadRequests() {
            assertThatThrownBy(() -> smp("{}", "{'$setElementOrder':[1]}"))
                    .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                            .isEqualTo("invalid patch format of setElementOrder list"));
        }

        @Test
        void unknownFieldsGetMergePatchSemantics() {
            assertThat(smp("{'extra':{'a':[1,2],'b':{'c':1}}}", "{'extra':{'a':[3],'b':{'d':2}}}"))
                    .isEqualTo(J.of("{'extra':{'a':[3],'b':{'c':1,'d':2}}}"));
            assertThat(StrategicMergePatch.apply(J.of("{'a':{'b':[1]}}"), J.of("{'a':{'b':[2],'c':null}}"), null))
                    .isEqualTo(J.of("{'a':{'b':[2]}}"));
        }

        @Test
        void directivesAndNullsDoNotLeakIntoNewValues() {
            assertThat(smp("{}", "{'retainKeysMap':{'$retainKeys':['name'],'name':'x','value':null},"
                    + "'mergingList':[{'name':'a','$setElementOrder/mergingList':[{'name':'z'}]}]}"))
                    .isEqualTo(J.of("{'retainKeysMap':{'name':'x'},'mergingList':[{'name':'a'}]}"));
        }

        @Test
        void aNonObjectPatchIsABadRequest() {
            assertThatThrownBy(() -> smp("{}", "[]"))
                    .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                            .isEqualTo("json: cannot unmarshal array into Go value of type map[string]interface {}"));
        }

        @Test
        void theInputsAreNotModified() {
            JsonNode current = J.of("{'mergingList':[{'name':'a'}]}");
            JsonNode patch = J.of("{'mergingList':[{'name':'a','value':'1'}]}");
            StrategicMergePatch.apply(current, patch, ITEM);
            assertThat(current).isEqualTo(J.of("{'mergingList':[{'name':'a'}]}"));
            assertThat(patch).isEqualTo(J.of("{'mergingList':[{'name':'a','value':'1'}]}"));
        }
    }

    /** Real kinds with their real patch metadata. */
    @Nested
    class KubernetesKinds {

        private final FieldSchema pod = TestSchemas.pod();
        private final FieldSchema deployment = TestSchemas.deployment();

        private final JsonNode livePod = J.of("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','labels':{'app':'web'},"
                + "'finalizers':['a']},'spec':{'containers':[{'name':'app','image':'nginx:1','ports':[{'containerPort':80,"
                + "'protocol':'TCP'}],'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},{'name':'sidecar',"
                + "'image':'busybox','command':['sleep','1d']}],'restartPolicy':'Always'}}");

        @Test
        void kubectlApplyClientSidePatchWithSetElementOrder() {
            // What kubectl apply sends after the manifest gained a container and changed an image.
            JsonNode patch = J.of("{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},"
                    + "'spec':{'$setElementOrder/containers':[{'name':'init'},{'name':'app'},{'name':'sidecar'}],"
                    + "'containers':[{'image':'alpine','name':'init'},{'image':'nginx:2','name':'app'}]}}");
            JsonNode out = StrategicMergePatch.apply(livePod, patch, pod);
            assertThat(out.at("/spec/containers").valueStream().map(c -> c.get("name").asString()))
                    .containsExactly("init", "app", "sidecar");
            assertThat(out.at("/spec/containers/1")).isEqualTo(J.of("{'name':'app','image':'nginx:2','ports':"
                    + "[{'containerPort':80,'protocol':'TCP'}],'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}"));
            assertThat(out.at("/metadata/labels/app").asString()).isEqualTo("web");
        }

        @Test
        void envMergesByNameAndDeleteDirectiveRemovesOne() {
            JsonNode patch = J.of("{'spec':{'containers':[{'name':'app','env':[{'name':'B','$patch':'delete'},"
                    + "{'name':'C','value':'3'},{'name':'A','value':'9'}]}]}}");
            JsonNode out = StrategicMergePatch.apply(livePod, patch, pod);
            assertThat(out.at("/spec/containers/0/env")).isEqualTo(J.of("[{'name':'C','value':'3'},{'name':'A','value':'9'}]"));
            assertThat(out.at("/spec/containers/1/name").asString()).isEqualTo("sidecar");
        }

        @Test
        void atomicListsInsideMergedItemsAreReplaced() {
            JsonNode patch = J.of("{'spec':{'containers':[{'name':'sidecar','command':['sleep','2d']}]}}");
            JsonNode out = StrategicMergePatch.apply(livePod, patch, pod);
            assertThat(out.at("/spec/containers/1/command")).isEqualTo(J.of("['sleep','2d']"));
        }

        @Test
        void finalizersUnionAndDeleteFromPrimitiveList() {
            JsonNode out = StrategicMergePatch.apply(livePod,
                    J.of("{'metadata':{'finalizers':['b'],'$deleteFromPrimitiveList/finalizers':['a']}}"), pod);
            assertThat(out.at("/metadata/finalizers")).isEqualTo(J.of("['b']"));
        }

        @Test
        void labelPatchAsKubectlLabelSendsIt() {
            JsonNode out = StrategicMergePatch.apply(livePod, J.of("{'metadata':{'labels':{'app':null,'tier':'fe'}}}"), pod);
            assertThat(out.at("/metadata/labels")).isEqualTo(J.of("{'tier':'fe'}"));
        }

        @Test
        void deploymentStrategyRetainKeysClearsRollingUpdate() {
            JsonNode live = J.of("{'spec':{'replicas':1,'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");
            JsonNode patch = J.of("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
            assertThat(StrategicMergePatch.apply(live, patch, deployment))
                    .isEqualTo(J.of("{'spec':{'replicas':1,'strategy':{'type':'Recreate'}}}"));
        }

        @Test
        void volumesRetainKeysSwitchesTheVolumeSource() {
            JsonNode live = J.of("{'spec':{'containers':[],'volumes':[{'name':'v','emptyDir':{}}]}}");
            JsonNode patch = J.of("{'spec':{'volumes':[{'name':'v','$retainKeys':['name','configMap'],'configMap':{'name':'cm'}}]}}");
            assertThat(StrategicMergePatch.apply(live, patch, pod).at("/spec/volumes"))
                    .isEqualTo(J.of("[{'name':'v','configMap':{'name':'cm'}}]"));
        }

        @Test
        void containerPortsMergeOnNumericKeysWhateverTheirJsonForm() {
            JsonNode patch = J.of("{'spec':{'containers':[{'name':'app','ports':[{'containerPort':80.0,'name':'http'}]}]}}");
            JsonNode out = StrategicMergePatch.apply(livePod, patch, pod);
            assertThat(out.at("/spec/containers/0/ports")).hasSize(1);
            assertThat(out.at("/spec/containers/0/ports/0/name").asString()).isEqualTo("http");
        }
    }
}
