package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;

import java.util.concurrent.CompletableFuture;

/** A request queued for the writer thread; its caller blocks on {@link #future()}. */
sealed interface WriteRequest {

    CompletableFuture<?> future();

    /** A write that takes a revision when its precondition holds. */
    sealed interface Op extends WriteRequest {
        String key();

        @Override
        CompletableFuture<KeyValue> future();
    }

    /** @param value owned by the request (copied from the caller) */
    record Create(String key, byte[] value, CompletableFuture<KeyValue> future) implements Op {
    }

    /** @param value owned by the request (copied from the caller) */
    record Update(String key, byte[] value, long expectedModRevision, CompletableFuture<KeyValue> future)
            implements Op {
    }

    record Delete(String key, long expectedModRevision, CompletableFuture<KeyValue> future) implements Op {
    }

    record Compact(long revision, CompletableFuture<Void> future) implements WriteRequest {
    }

    /** Sent last by close(): the writer finishes what is queued before it and stops. */
    record Stop(CompletableFuture<Void> future) implements WriteRequest {
    }
}
