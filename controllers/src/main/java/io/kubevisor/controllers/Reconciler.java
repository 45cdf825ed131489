package io.kubevisor.controllers;

import java.time.Duration;
import java.util.Objects;

/**
 * Brings the world in line with what one key (e.g. a namespace name) asks for. Must be
 * idempotent: it may run again for the same key at any time, e.g. after a restart. A
 * {@link ReconcileLoop} never runs it for the same key on two threads at once.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface Reconciler<K> {

    /**
     * Reconciles {@code key}, blocking as long as it needs (it runs on a virtual thread).
     *
     * @return {@link Result#done()} or when to look again
     * @throws Exception to be retried after the key's backoff; the loop logs the message
     */
    Result reconcile(K key) throws Exception;

    /** What to do with a key after a successful reconcile. */
    sealed interface Result {

        /** Nothing more to do until the key changes again. */
        static Result done() {
            return Done.INSTANCE;
        }

        /** Look again after {@code delay} (e.g. waiting for something outside our control). */
        static Result requeueAfter(Duration delay) {
            return new RequeueAfter(delay);
        }

        /** The key is reconciled. */
        enum Done implements Result {
            INSTANCE
        }

        /** Reconcile the key again after {@code delay}, without counting a failure. */
        record RequeueAfter(Duration delay) implements Result {
            public RequeueAfter {
                Objects.requireNonNull(delay, "delay");
            }
        }
    }
}
