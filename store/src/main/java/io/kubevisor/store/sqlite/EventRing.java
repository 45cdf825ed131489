package io.kubevisor.store.sqlite;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent changes, one slot per revision, plus the published revision. One writer
 * appends; any number of readers look changes up without locks. A reader that finds a slot
 * empty or already reused for a newer revision has fallen behind and must read the log table.
 */
final class EventRing {

    private final AtomicReferenceArray<Change> slots;
    private volatile long published;

    EventRing(int capacity, long revision) {
        this.slots = new AtomicReferenceArray<>(capacity);
        this.published = revision;
    }

    /** The newest revision whose change (and all before it) is committed and visible here. */
    long published() {
        return published;
    }

    /**
     * Adds the changes of one commit, whose revisions follow {@link #published()} without gaps,
     * then publishes them. Called by the writer thread only.
     */
    void append(List<Change> changes) {
        for (Change change : changes) {
            slots.set(index(change.revision()), change);
        }
        // The volatile write orders the slot writes above before any reader sees the new revision.
        published = changes.getLast().revision();
    }

    /** The change at a published revision, or null when it is no longer (or not) cached. */
    Change get(long revision) {
        Change change = slots.get(index(revision));
        return change != null && change.revision() == revision ? change : null;
    }

    private int index(long revision) {
        return (int) Math.floorMod(revision, (long) slots.length());
    }
}
