package io.kubevisor.api.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of one value inside an API object: what validation, unknown-field detection,
 * strategic merge patch, server-side apply, protobuf decoding and OpenAPI all need to know.
 * Implementations are immutable and thread-safe; recursive types are resolved lazily.
 */
public interface FieldSchema {

    /** The closed set of value shapes. */
    enum Type {
        /** A struct with declared properties. */
        OBJECT,
        /** {@code map[string]T}: any keys, values of {@link #items()}. */
        MAP,
        /** An array of {@link #items()}. */
        LIST,
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN,
        /** IntOrString and Quantity: a string or an integer. */
        INT_OR_STRING,
        /** Anything: RawExtension, embedded objects, JSON. No unknown-field checks below it. */
        ANY
    }

    /** How a list merges in server-side apply ({@code x-kubernetes-list-type}). */
    enum ListType { ATOMIC, SET, MAP }

    /**
     * How Go's {@code encoding/json} writes a property whose Go value is zero or unset, which is
     * what kube-apiserver shows for an object it decoded from protobuf: {@code omitempty} drops
     * {@code false}, {@code 0}, {@code ""}, nil pointers and empty slices and maps, but never a
     * struct; without it, nil slices, maps and pointers are written as {@code null}.
     */
    enum ZeroValue {
        /**
         * A pointer with omitempty, or a value with no Go field behind it (definitions, list
         * items, map values, kinds without a built-in schema): omitted only when absent; a value
         * that is set is written as it is, zero included ({@code replicas: 0}).
         */
        KEEP,
        /**
         * A non-pointer string, number or bool with omitempty: {@code ""}, {@code 0} and
         * {@code false} are omitted.
         */
        OMIT_ZERO,
        /** A slice or map with omitempty: omitted when empty or nil. */
        OMIT_EMPTY,
        /** A slice, map or pointer without omitempty: written as {@code null} when nil. */
        NULL,
        /**
         * A non-pointer struct (with or without omitempty) or a non-pointer scalar without
         * omitempty: always written; an unset one as its zero value ({@code {}}, {@code 0},
         * {@code ""}, {@code false}, {@code null} for a zero {@code Time}).
         */
        WRITE
    }

    Type type();

    /** Human documentation as {@code kubectl explain} shows it; empty if none. */
    String description();

    /** The definition name this value refers to (e.g. {@code io.k8s.api.core.v1.Container}), or empty. */
    Optional<String> definition();

    /** Declared properties of an OBJECT in declaration order; empty for other types. */
    Map<String, FieldSchema> properties();

    default Optional<FieldSchema> property(String name) {
        return Optional.ofNullable(properties().get(name));
    }

    /** Property names that must be present. */
    List<String> required();

    /** Element schema of a LIST, value schema of a MAP; null otherwise. */
    FieldSchema items();

    /** For a LIST: how server-side apply merges it. ATOMIC when unspecified. */
    ListType listType();

    /** For a LIST of type MAP: the key fields. */
    List<String> listMapKeys();

    /** Whether an OBJECT or MAP is replaced as a whole by apply ({@code x-kubernetes-map-type: atomic}). */
    boolean atomic();

    /** Strategic-merge-patch strategy ({@code merge}, {@code retainKeys}, {@code merge,retainKeys}), or "". */
    String patchStrategy();

    /** Strategic-merge-patch merge key for a LIST of objects, or "". */
    String patchMergeKey();

    /** OpenAPI format ({@code int32}, {@code int64}, {@code date-time}, {@code byte}, {@code int-or-string}), or "". */
    String format();

    /** Allowed values of a string enum, or empty. */
    List<String> enumValues();

    /**
     * How Go's JSON writes this property when its value is zero or unset. The default, for
     * implementations that know nothing of Go, is {@link ZeroValue#KEEP}: write what is there.
     */
    default ZeroValue zeroValue() {
        return ZeroValue.KEEP;
    }

    /**
     * Whether Go's JSON omits this property when it holds its zero value: a non-pointer scalar or
     * a slice or map with {@code omitempty}. False for pointers, whose explicit zero
     * ({@code replicas: 0}, {@code allowPrivilegeEscalation: false}) is kept.
     */
    default boolean omitsZero() {
        return zeroValue() == ZeroValue.OMIT_ZERO || zeroValue() == ZeroValue.OMIT_EMPTY;
    }
}
