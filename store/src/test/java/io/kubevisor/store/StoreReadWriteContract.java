package io.kubevisor.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Part of the {@link StoreContractTest} kit: revisions, single-key writes and their errors,
 * lists at revisions and paging.
 */
public abstract class StoreReadWriteContract extends StoreContractSupport {

    @Test
    void freshStoreIsEmpty() {
        assertThat(store.get("/registry/pods/default/web")).isEmpty();
        ListResult all = store.list(ListRequest.all("/"));
        assertThat(all.items()).isEmpty();
        assertThat(all.revision()).isEqualTo(store.currentRevision());
        assertThat(all.more()).isFalse();
        assertThat(store.compactRevision()).isLessThanOrEqualTo(store.currentRevision());
    }

    @Test
    void everyWriteTakesTheNextRevision() {
        KeyValue a = create("/r/a", "a1");
        assertThat(a.modRevision()).isEqualTo(baseRevision + 1);
        assertThat(a.createRevision()).isEqualTo(a.modRevision());
        KeyValue a2 = update(a, "a2");
        assertThat(a2.modRevision()).isEqualTo(baseRevision + 2);
        assertThat(a2.createRevision()).isEqualTo(a.createRevision());
        KeyValue b = create("/r/b", "b1");
        assertThat(b.modRevision()).isEqualTo(baseRevision + 3);
        KeyValue deleted = store.delete("/r/a", a2.modRevision());
        assertThat(deleted.modRevision()).isEqualTo(baseRevision + 4);
        assertThat(store.currentRevision()).isEqualTo(baseRevision + 4);
    }

    @Test
    void createReturnsWhatGetReads() {
        KeyValue created = create("/registry/pods/default/web", "{\"kind\":\"Pod\"}");
        assertThat(created.key()).isEqualTo("/registry/pods/default/web");
        assertThat(text(created)).isEqualTo("{\"kind\":\"Pod\"}");
        KeyValue read = store.get("/registry/pods/default/web").orElseThrow();
        assertThat(text(read)).isEqualTo("{\"kind\":\"Pod\"}");
        assertThat(read.createRevision()).isEqualTo(created.createRevision());
        assertThat(read.modRevision()).isEqualTo(created.modRevision());
    }

    @Test
    void createOfAnExistingKeyFailsAndTakesNoRevision() {
        KeyValue first = create("/r/a", "one");
        assertThatThrownBy(() -> create("/r/a", "two")).isInstanceOf(StoreException.KeyExists.class);
        assertThat(text(store.get("/r/a").orElseThrow())).isEqualTo("one");
        assertThat(store.currentRevision()).isEqualTo(first.modRevision());
        assertThat(create("/r/b", "b").modRevision()).isEqualTo(first.modRevision() + 1);
    }

    @Test
    void updateChecksTheExpectedRevision() {
        KeyValue v1 = create("/r/a", "v1");
        KeyValue v2 = update(v1, "v2");
        assertThat(text(v2)).isEqualTo("v2");

        var conflict = catchThrowableOfType(StoreException.RevisionConflict.class, () -> update(v1, "stale"));
        assertThat(conflict.actual()).isEqualTo(v2.modRevision());
        assertThat(text(store.get("/r/a").orElseThrow())).isEqualTo("v2");
        assertThat(store.currentRevision()).isEqualTo(v2.modRevision());

        KeyValue v3 = update(v2, "v3");
        assertThat(v3.modRevision()).isEqualTo(v2.modRevision() + 1);
        assertThat(v3.createRevision()).isEqualTo(v1.createRevision());
    }

    @Test
    void updateOfAMissingKeyFails() {
        KeyValue other = create("/r/other", "x");
        assertThatThrownBy(() -> store.update("/r/missing", bytes("v"), other.modRevision()))
                .isInstanceOf(StoreException.KeyNotFound.class);
        assertThat(store.currentRevision()).isEqualTo(other.modRevision());
        assertThat(store.get("/r/missing")).isEmpty();
    }

    @Test
    void deleteReturnsTheLastValueAtTheDeletionRevision() {
        KeyValue v1 = create("/r/a", "v1");
        KeyValue v2 = update(v1, "v2");
        KeyValue deleted = store.delete("/r/a", v2.modRevision());
        assertThat(text(deleted)).isEqualTo("v2");
        assertThat(deleted.key()).isEqualTo("/r/a");
        assertThat(deleted.createRevision()).isEqualTo(v1.createRevision());
        assertThat(deleted.modRevision()).isEqualTo(v2.modRevision() + 1).isEqualTo(store.currentRevision());
        assertThat(store.get("/r/a")).isEmpty();
        assertThat(store.list(ListRequest.all("/r/")).items()).isEmpty();
    }

    @Test
    void deleteChecksTheExpectedRevisionUnlessZero() {
        KeyValue v1 = create("/r/a", "v1");
        KeyValue v2 = update(v1, "v2");
        var conflict = catchThrowableOfType(StoreException.RevisionConflict.class,
                () -> store.delete("/r/a", v1.modRevision()));
        assertThat(conflict.actual()).isEqualTo(v2.modRevision());
        assertThat(store.get("/r/a")).isPresent();
        assertThat(store.currentRevision()).isEqualTo(v2.modRevision());

        KeyValue deleted = store.delete("/r/a", 0);
        assertThat(text(deleted)).isEqualTo("v2");
        assertThat(store.get("/r/a")).isEmpty();
    }

    @Test
    void writesToADeletedKeyFailWithKeyNotFound() {
        KeyValue v1 = create("/r/a", "v1");
        KeyValue deleted = store.delete("/r/a", v1.modRevision());
        assertThatThrownBy(() -> store.delete("/r/a", 0)).isInstanceOf(StoreException.KeyNotFound.class);
        assertThatThrownBy(() -> store.delete("/r/a", deleted.modRevision()))
                .isInstanceOf(StoreException.KeyNotFound.class);
        assertThatThrownBy(() -> update(v1, "again")).isInstanceOf(StoreException.KeyNotFound.class);
        assertThat(store.currentRevision()).isEqualTo(deleted.modRevision());
    }

    @Test
    void aRecreatedKeyStartsANewLife() {
        KeyValue v1 = create("/r/a", "v1");
        store.delete("/r/a", v1.modRevision());
        KeyValue again = create("/r/a", "again");
        assertThat(again.createRevision()).isEqualTo(again.modRevision()).isEqualTo(v1.modRevision() + 2);
        assertThat(text(store.get("/r/a").orElseThrow())).isEqualTo("again");
    }

    @Test
    void valueBytesAreNotSharedWithTheCaller() {
        byte[] input = bytes("original");
        KeyValue created = store.create("/r/a", input);
        input[0] = 'X';
        created.value()[1] = 'Y';
        KeyValue read = store.get("/r/a").orElseThrow();
        assertThat(text(read)).isEqualTo("original");
        read.value()[2] = 'Z';
        assertThat(text(store.get("/r/a").orElseThrow())).isEqualTo("original");
        assertThat(text(store.list(ListRequest.all("/r/")).items().getFirst())).isEqualTo("original");
    }

    @Test
    void emptyAndBinaryValuesRoundTrip() {
        KeyValue empty = store.create("/r/empty", new byte[0]);
        byte[] binary = {0, 1, (byte) 0xff, 0, 42};
        store.create("/r/binary", binary);
        assertThat(store.get("/r/empty").orElseThrow().value()).isEmpty();
        assertThat(store.get("/r/binary").orElseThrow().value()).containsExactly(binary);
        KeyValue deleted = store.delete("/r/empty", empty.modRevision());
        assertThat(deleted.value()).isEmpty();
    }

    @Test
    void listReturnsTheKeysUnderAPrefixInKeyOrder() {
        create("/registry/pods/ns1/b", "b");
        create("/registry/pods/ns1/a", "a");
        create("/registry/pods/ns2/c", "c");
        create("/registry/podsx/ns1/d", "d");
        create("/registry/pod", "pod");
        create("/registry/services/ns1/e", "e");

        ListResult pods = store.list(ListRequest.all("/registry/pods/"));
        assertThat(keys(pods)).containsExactly("/registry/pods/ns1/a", "/registry/pods/ns1/b", "/registry/pods/ns2/c");
        assertThat(values(pods)).containsExactly("a", "b", "c");
        assertThat(pods.revision()).isEqualTo(store.currentRevision());
        assertThat(pods.more()).isFalse();
        assertThat(pods.remaining()).isZero();
        assertThat(pods.items().getFirst().modRevision()).isEqualTo(baseRevision + 2);

        assertThat(keys(store.list(ListRequest.all("/registry/pods/ns1/")))).hasSize(2);
        assertThat(keys(store.list(ListRequest.all("/registry/")))).hasSize(6);
        assertThat(keys(store.list(ListRequest.all("/registry/nothing/")))).isEmpty();
    }

    @Test
    void listAtAnOlderRevisionShowsThePast() {
        KeyValue a1 = create("/h/a", "a1");
        KeyValue b1 = create("/h/b", "b1");
        KeyValue a2 = update(a1, "a2");
        KeyValue bDeleted = store.delete("/h/b", b1.modRevision());
        KeyValue c1 = create("/h/c", "c1");

        ListResult atB1 = store.list(new ListRequest("/h/", b1.modRevision(), 0, null));
        assertThat(keys(atB1)).containsExactly("/h/a", "/h/b");
        assertThat(values(atB1)).containsExactly("a1", "b1");
        assertThat(atB1.revision()).isEqualTo(b1.modRevision());
        assertThat(atB1.items().getFirst().modRevision()).isEqualTo(a1.modRevision());

        ListResult atA2 = store.list(new ListRequest("/h/", a2.modRevision(), 0, null));
        assertThat(values(atA2)).containsExactly("a2", "b1");
        assertThat(atA2.items().getFirst().createRevision()).isEqualTo(a1.createRevision());
        assertThat(atA2.items().getFirst().modRevision()).isEqualTo(a2.modRevision());

        assertThat(keys(store.list(new ListRequest("/h/", bDeleted.modRevision(), 0, null)))).containsExactly("/h/a");
        assertThat(keys(store.list(new ListRequest("/h/", c1.modRevision(), 0, null)))).containsExactly("/h/a", "/h/c");
        assertThat(keys(store.list(new ListRequest("/h/", baseRevision + 1, 0, null)))).containsExactly("/h/a");
    }

    @Test
    void listOfAFutureRevisionFails() {
        create("/r/a", "a");
        long future = store.currentRevision() + 1;
        assertThatThrownBy(() -> store.list(new ListRequest("/r/", future, 0, null)))
                .isInstanceOf(StoreException.FutureRevision.class);
    }

    @Test
    void pagingReportsMoreAndRemaining() {
        for (int i = 0; i < 10; i++) {
            create("/p/k" + i, "v" + i);
        }
        var seen = new ArrayList<String>();
        String after = null;
        long revision = 0;
        List<Long> remainings = new ArrayList<>();
        while (true) {
            ListResult page = store.list(new ListRequest("/p/", revision, 3, after));
            revision = page.revision();
            seen.addAll(keys(page));
            remainings.add(page.remaining());
            if (!page.more()) {
                assertThat(page.remaining()).isZero();
                break;
            }
            assertThat(page.items()).hasSize(3);
            after = page.items().getLast().key();
        }
        assertThat(seen).containsExactly("/p/k0", "/p/k1", "/p/k2", "/p/k3", "/p/k4", "/p/k5", "/p/k6", "/p/k7",
                "/p/k8", "/p/k9");
        assertThat(remainings).containsExactly(7L, 4L, 1L, 0L);

        ListResult exact = store.list(new ListRequest("/p/", 0, 10, null));
        assertThat(exact.items()).hasSize(10);
        assertThat(exact.more()).isFalse();
    }

    @Test
    void pagesStayAtTheFirstPagesRevisionWhileWritesHappen() {
        var originals = new ArrayList<KeyValue>();
        for (int i = 0; i < 10; i++) {
            originals.add(create("/p/k" + i, "v" + i));
        }
        ListResult first = store.list(new ListRequest("/p/", 0, 4, null));
        long revision = first.revision();

        update(originals.get(5), "changed");
        store.delete("/p/k6", 0);
        create("/p/k3a", "inserted");
        create("/p/k99", "appended");

        var items = new ArrayList<>(first.items());
        String after = first.items().getLast().key();
        while (true) {
            ListResult page = store.list(new ListRequest("/p/", revision, 4, after));
            assertThat(page.revision()).isEqualTo(revision);
            items.addAll(page.items());
            if (!page.more()) {
                break;
            }
            after = page.items().getLast().key();
        }
        assertThat(items).extracting(KeyValue::key).containsExactlyElementsOf(
                originals.stream().map(KeyValue::key).toList());
        assertThat(items).extracting(StoreContractSupport::text).containsExactly(
                "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        assertThat(items).extracting(KeyValue::modRevision).containsExactlyElementsOf(
                originals.stream().map(KeyValue::modRevision).toList());
    }

    @Test
    void aListIsOneSnapshotEvenWhileWritesHappen() throws Exception {
        var keys = new ArrayList<KeyValue>();
        for (int i = 0; i < 20; i++) {
            keys.add(create("/snap/k" + i, "0"));
        }
        // Writers move every key forward in rounds; a consistent list sees rounds r+1 then r.
        var writer = Thread.ofVirtual().start(() -> {
            for (int round = 1; round <= 15; round++) {
                for (int i = 0; i < keys.size(); i++) {
                    keys.set(i, update(keys.get(i), Integer.toString(round)));
                }
            }
        });
        int lists = 0;
        while (writer.isAlive() || lists == 0) {
            ListResult result = store.list(ListRequest.all("/snap/"));
            lists++;
            assertThat(result.items()).hasSize(20);
            assertThat(result.items()).allSatisfy(kv -> assertThat(kv.modRevision()).isLessThanOrEqualTo(result.revision()));
            var roundOf = new HashMap<String, Integer>();
            result.items().forEach(kv -> roundOf.put(kv.key(), Integer.parseInt(text(kv))));
            var inWriteOrder = new ArrayList<Integer>();
            for (int i = 0; i < 20; i++) {
                inWriteOrder.add(roundOf.get("/snap/k" + i));
            }
            int newest = inWriteOrder.getFirst();
            assertThat(inWriteOrder).as("rounds in write order").isSortedAccordingTo(Comparator.reverseOrder())
                    .allSatisfy(r -> assertThat(r).isBetween(newest - 1, newest));
            ListResult again = store.list(new ListRequest("/snap/", result.revision(), 0, null));
            assertThat(again.items()).extracting(KeyValue::modRevision)
                    .containsExactlyElementsOf(result.items().stream().map(KeyValue::modRevision).toList());
            assertThat(values(again)).containsExactlyElementsOf(values(result));
        }
        writer.join();
    }

    @Test
    void startAfterBeforeThePrefixListsFromItsStart() {
        create("/p/a", "a");
        create("/p/b", "b");
        assertThat(keys(store.list(new ListRequest("/p/", 0, 0, "/a")))).containsExactly("/p/a", "/p/b");
        assertThat(keys(store.list(new ListRequest("/p/", 0, 0, "/p/a")))).containsExactly("/p/b");
        assertThat(keys(store.list(new ListRequest("/p/", 0, 0, "/q")))).isEmpty();
    }
}
