package io.kubevisor.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.FieldError;
import tools.jackson.databind.node.ObjectNode;

class ResourceStoreTest {

    @TempDir
    Path dir;
    RegistryFixture fx;
    ResourceStore cms;
    final WriteOptions opts = new WriteOptions(false, "test");

    @BeforeEach
    void setUp() {
        fx = new RegistryFixture(dir);
        cms = fx.resource("", "configmaps", new Strategy() {
        });
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void createSetsSystemFieldsAndResourceVersion() {
        ObjectNode created = cms.create(RegistryFixture.configMap("ns", "a", "k", "v"), opts);
        assertThat(created.path("metadata").path("uid").asString()).hasSize(36);
        assertThat(created.path("metadata").path("creationTimestamp").asString()).endsWith("Z");
        assertThat(created.path("metadata").path("resourceVersion").asString()).isEqualTo(
                Long.toString(fx.store.currentRevision()));
        assertThat(cms.get("ns", "a")).isEqualTo(created);
    }

    @Test
    void createOfExistingNameIsAlreadyExists() {
        cms.create(RegistryFixture.configMap("ns", "a", "k", "v"), opts);
        assertThatThrownBy(() -> cms.create(RegistryFixture.configMap("ns", "a", "k", "v"), opts))
                .isInstanceOf(ApiException.AlreadyExists.class)
                .hasMessage("configmaps \"a\" already exists");
    }

    @Test
    void generateNameAddsFiveCharacters() {
        ObjectNode cm = RegistryFixture.configMap("ns", "", "k", "v");
        ((ObjectNode) cm.get("metadata")).remove("name");
        ((ObjectNode) cm.get("metadata")).put("generateName", "web-");
        ObjectNode created = cms.create(cm, opts);
        assertThat(created.path("metadata").path("name").asString()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
    }

    @Test
    void dryRunStoresNothing() {
        long before = fx.store.currentRevision();
        cms.create(RegistryFixture.configMap("ns", "a", "k", "v"), new WriteOptions(true, "test"));
        assertThat(fx.store.currentRevision()).isEqualTo(before);
        assertThat(cms.find("ns", "a")).isEmpty();
    }

    @Test
    void staleResourceVersionIsConflictAndNoOpUpdateKeepsVersion() {
        ObjectNode created = cms.create(RegistryFixture.configMap("ns", "a", "k", "v"), opts);
        String rv = created.path("metadata").path("resourceVersion").asString();
        ObjectNode same = cms.update("ns", "a", created.deepCopy(), "", opts);
        assertThat(same.path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
        ObjectNode changed = created.deepCopy();
        ((ObjectNode) changed.get("data")).put("k", "w");
        ObjectNode updated = cms.update("ns", "a", changed, "", opts);
        assertThat(updated.path("metadata").path("resourceVersion").asString()).isNotEqualTo(rv);
        ObjectNode stale = created.deepCopy();
        ((ObjectNode) stale.get("data")).put("k", "x");
        assertThatThrownBy(() -> cms.update("ns", "a", stale, "", opts))
                .isInstanceOf(ApiException.Conflict.class)
                .hasMessage("Operation cannot be fulfilled on configmaps \"a\": the object has been modified; "
                        + "please apply your changes to the latest version and try again");
    }

    @Test
    void invalidNameIsUnprocessableWithFieldPath() {
        assertThatThrownBy(() -> cms.create(RegistryFixture.configMap("ns", "Bad_Name", "k", "v"), opts))
                .isInstanceOfSatisfying(ApiException.Invalid.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("metadata.name");
                    assertThat(e.getMessage()).startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: "
                            + "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");
                });
    }

    @Test
    void finalizersHoldDeletionUntilRemoved() {
        ObjectNode cm = RegistryFixture.configMap("ns", "a", "k", "v");
        ((ObjectNode) cm.get("metadata")).putArray("finalizers").add("example.com/hold");
        cms.create(cm, opts);
        ResourceStore.DeleteResult r = cms.delete("ns", "a", DeleteOptions.defaults());
        assertThat(r.deleted()).isFalse();
        ObjectNode held = cms.get("ns", "a");
        assertThat(held.path("metadata").path("deletionTimestamp").asString()).isNotEmpty();
        assertThat(held.path("metadata").path("deletionGracePeriodSeconds").asLong()).isZero();
        ((ObjectNode) held.get("metadata")).putArray("finalizers");
        cms.update("ns", "a", held, "", opts);
        assertThat(cms.find("ns", "a")).isEmpty();
    }

    @Test
    void deletePreconditionsAreChecked() {
        cms.create(RegistryFixture.configMap("ns", "a", "k", "v"), opts);
        assertThatThrownBy(() -> cms.delete("ns", "a", new DeleteOptions(null, "wrong-uid", null, null, false)))
                .isInstanceOf(ApiException.Conflict.class)
                .hasMessageContaining("Precondition failed: UID in precondition: wrong-uid");
        assertThat(cms.delete("ns", "a", DeleteOptions.defaults()).deleted()).isTrue();
        assertThatThrownBy(() -> cms.get("ns", "a")).isInstanceOf(ApiException.NotFound.class)
                .hasMessage("configmaps \"a\" not found");
    }

    @Test
    void pagedListIsConsistentAtTheFirstPagesRevision() {
        for (int i = 0; i < 5; i++) {
            cms.create(RegistryFixture.configMap("ns", "cm" + i, "k", "v"), opts);
        }
        ResourceLister lister = new ResourceLister(cms);
        ListOptions firstPage = new ListOptions(ListOptions.everything().labels(), ListOptions.everything().fields(),
                2, null, "", "");
        ListPage p1 = lister.list("ns", firstPage);
        assertThat(p1.items()).hasSize(2);
        assertThat(p1.remainingItemCount()).isEqualTo(3);
        cms.create(RegistryFixture.configMap("ns", "cm00", "k", "v"), opts);
        ListPage p2 = lister.list("ns", new ListOptions(firstPage.labels(), firstPage.fields(), 10, p1.continueToken(),
                "", ""));
        assertThat(p2.items()).extracting(o -> o.path("metadata").path("name").asString())
                .containsExactly("cm2", "cm3", "cm4");
        assertThat(p2.resourceVersion()).isEqualTo(p1.resourceVersion());
        assertThat(p2.continueToken()).isNull();
    }

    @Test
    void labelSelectedWatchTurnsLabelChangesIntoAddedAndDeleted() throws Exception {
        ObjectNode cm = cms.create(RegistryFixture.configMap("ns", "a", "k", "v"), opts);
        ListOptions sel = new ListOptions(io.kubevisor.apiserver.selection.LabelSelector.parse("app=web"),
                ListOptions.everything().fields(), 0, null, cm.path("metadata").path("resourceVersion").asString(), "");
        try (ObjectWatch w = new ResourceWatcher(cms).watch("ns", sel, null)) {
            ObjectNode labelled = cms.get("ns", "a");
            ((ObjectNode) labelled.get("metadata")).putObject("labels").put("app", "web");
            cms.update("ns", "a", labelled, "", opts);
            ObjectNode unlabelled = cms.get("ns", "a");
            ((ObjectNode) unlabelled.get("metadata")).remove("labels");
            cms.update("ns", "a", unlabelled, "", opts);
            List<ObjectEvent.Type> types = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                types.add(w.next(java.time.Duration.ofSeconds(5), false).type());
            }
            assertThat(types).containsExactly(ObjectEvent.Type.ADDED, ObjectEvent.Type.DELETED);
        }
    }

    @Test
    void watchFromCompactedRevisionIsGone() {
        cms.create(RegistryFixture.configMap("ns", "a", "k", "v"), opts);
        cms.create(RegistryFixture.configMap("ns", "b", "k", "v"), opts);
        fx.store.compact(fx.store.currentRevision());
        ListOptions old = new ListOptions(ListOptions.everything().labels(), ListOptions.everything().fields(), 0, null,
                "1", "");
        assertThatThrownBy(() -> new ResourceWatcher(cms).watch("ns", old, null))
                .isInstanceOf(ApiException.Gone.class)
                .hasMessageStartingWith("too old resource version: 1");
    }

    @Test
    void admissionSeesEveryWriteWithItsUserAndTheStoredObjectAndItsRefusalStoresNothing() {
        List<AdmissionRequest> seen = new java.util.ArrayList<>();
        io.kubevisor.apiserver.auth.authn.UserInfo bob = io.kubevisor.apiserver.auth.authn.UserInfo.of("bob",
                List.of());
        ResourceStore watched = fx.resource("", "configmaps", new Strategy() {
        }, r -> {
            seen.add(r);
            if (r.object() != null && r.object().path("data").path("k").asString("").equals("refused")) {
                throw r.forbidden("not this value");
            }
        });
        WriteOptions asBob = new WriteOptions(false, "test", false, bob);
        watched.create(RegistryFixture.configMap("ns", "a", "k", "v"), asBob);
        ObjectNode changed = RegistryFixture.configMap("ns", "a", "k", "v2");
        watched.update("ns", "a", changed, "", asBob);
        assertThatThrownBy(() -> watched.update("ns", "a", RegistryFixture.configMap("ns", "a", "k", "refused"), "",
                asBob)).isInstanceOf(ApiException.Forbidden.class)
                .hasMessage("configmaps \"a\" is forbidden: not this value");
        assertThat(watched.get("ns", "a").path("data").path("k").asString()).isEqualTo("v2");
        watched.delete("ns", "a", DeleteOptions.defaults(), bob);

        assertThat(seen).extracting(AdmissionRequest::operation).containsExactly(AdmissionRequest.Operation.CREATE,
                AdmissionRequest.Operation.UPDATE, AdmissionRequest.Operation.UPDATE, AdmissionRequest.Operation.DELETE);
        assertThat(seen).extracting(AdmissionRequest::user).containsOnly(bob);
        AdmissionRequest update = seen.get(1);
        assertThat(update.oldObject().path("data").path("k").asString()).isEqualTo("v");
        assertThat(update.object().path("data").path("k").asString()).isEqualTo("v2");
        AdmissionRequest delete = seen.get(3);
        assertThat(delete.object()).isNull();
        assertThat(delete.oldObject().path("data").path("k").asString()).isEqualTo("v2");
        assertThat(delete.name()).isEqualTo("a");
        assertThat(delete.namespace()).isEqualTo("ns");
    }

    @Test
    void theServersOwnWritesAreAdmittedAsTheApiServer() {
        List<AdmissionRequest> seen = new java.util.ArrayList<>();
        ResourceStore watched = fx.resource("", "configmaps", new Strategy() {
        }, seen::add);
        watched.create(RegistryFixture.configMap("ns", "a", "k", "v"), opts);
        watched.delete("ns", "a", DeleteOptions.defaults());
        assertThat(seen).extracting(r -> r.user().name()).containsOnly("system:apiserver");
    }
}
