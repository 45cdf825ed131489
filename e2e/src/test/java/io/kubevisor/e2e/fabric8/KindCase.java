package io.kubevisor.e2e.fabric8;

import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * How to exercise one built-in kind through its typed fabric8 model: a valid object, a legal
 * change of its content, and (for kinds with a status subresource) a legal status change.
 *
 * @param group            API group ("" for core)
 * @param kind             kind, as in BuiltinResources
 * @param type             the fabric8 model class
 * @param namespaced       whether objects live in a namespace
 * @param build            a valid object of the given name (no namespace set)
 * @param change           a copy with a legal change of its spec or data (what an update sends)
 * @param probe            reads what {@code change} changed, to compare before and after
 * @param tracksGeneration whether spec changes bump metadata.generation (workloads)
 * @param setStatus        a copy with a legal status change, or null when the kind has no status subresource
 * @param statusProbe      reads what {@code setStatus} changed
 */
record KindCase<T extends HasMetadata>(String group, String kind, Class<T> type, boolean namespaced,
                                       Function<String, T> build, UnaryOperator<T> change,
                                       Function<T, Object> probe, boolean tracksGeneration,
                                       UnaryOperator<T> setStatus, Function<T, Object> statusProbe) {

    static <T extends HasMetadata> KindCase<T> of(String group, String kind, Class<T> type, boolean namespaced,
                                                  Function<String, T> build, UnaryOperator<T> change,
                                                  Function<T, Object> probe) {
        return new KindCase<>(group, kind, type, namespaced, build, change, probe, false, null, null);
    }

    /** The same case with a status subresource. */
    KindCase<T> withStatus(UnaryOperator<T> set, Function<T, Object> read) {
        return new KindCase<>(group, kind, type, namespaced, build, change, probe, tracksGeneration, set, read);
    }

    /** The same case for a kind whose spec changes bump metadata.generation. */
    KindCase<T> trackingGeneration() {
        return new KindCase<>(group, kind, type, namespaced, build, change, probe, true, setStatus, statusProbe);
    }

    boolean hasStatus() {
        return setStatus != null;
    }

    @Override
    public String toString() {
        return group.isEmpty() ? kind : kind + "." + group;
    }
}
