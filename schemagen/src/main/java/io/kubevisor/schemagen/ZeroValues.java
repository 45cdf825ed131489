package io.kubevisor.schemagen;

import java.util.Optional;

/**
 * How Go's {@code encoding/json} writes a struct field whose value is zero or unset, recorded per
 * property as {@value #EXTENSION}. kube-apiserver decodes protobuf bodies into Go structs and
 * writes JSON from those, so this is what tells a server that decodes protobuf itself which
 * zeros Kubernetes would show and which it would drop.
 *
 * <p>Go's rules: {@code omitempty} omits {@code false}, {@code 0}, {@code ""}, nil pointers and
 * interfaces, and empty slices and maps; it never omits a struct value, however empty. Without
 * {@code omitempty} every field is written, nil ones as {@code null}.
 *
 * <ul>
 *   <li>{@code "omit"}: a non-pointer string, number or bool with omitempty; its zero is omitted;</li>
 *   <li>{@code "omit-empty"}: a slice or map with omitempty; omitted when nil or empty;</li>
 *   <li>{@code "null"}: a slice, map or pointer without omitempty; written as {@code null} when nil;</li>
 *   <li>{@code "write"}: a non-pointer struct (omitempty or not) or a non-pointer scalar without
 *       omitempty; always written, unset reading as the zero value;</li>
 *   <li>no extension: a pointer (or interface) with omitempty; omitted when nil, otherwise
 *       written even when it points at a zero.</li>
 * </ul>
 */
final class ZeroValues {

    /** The vendor extension carrying the rule. */
    static final String EXTENSION = "x-kubevisor-go-zero";

    /** What a Go type is to encoding/json's omitempty test. */
    private enum Shape { NILABLE, COLLECTION, SCALAR, STRUCT }

    private final Universe universe;

    ZeroValues(Universe universe) {
        this.universe = universe;
    }

    /** The rule for a field of type {@code t}; empty for a pointer with omitempty. */
    Optional<String> rule(GoType t, boolean omitEmpty) {
        return switch (shape(t)) {
            case NILABLE -> omitEmpty ? Optional.empty() : Optional.of("null");
            case COLLECTION -> Optional.of(omitEmpty ? "omit-empty" : "null");
            case SCALAR -> Optional.of(omitEmpty ? "omit" : "write");
            case STRUCT -> Optional.of("write");
        };
    }

    private Shape shape(GoType t) {
        return switch (t) {
            case GoType.Pointer p -> Shape.NILABLE;
            // interface{} is nil-able; funcs and channels never reach JSON.
            case GoType.Other o -> Shape.NILABLE;
            case GoType.Slice s -> Shape.COLLECTION;
            case GoType.Array a -> Shape.COLLECTION;
            case GoType.MapType m -> Shape.COLLECTION;
            case GoType.Struct s -> Shape.STRUCT;
            case GoType.Named n when n.builtin() -> Shape.SCALAR;
            case GoType.Named n when n.pkg().equals("time") -> n.name().equals("Time") ? Shape.STRUCT : Shape.SCALAR;
            // A named type takes the kind of its underlying type (or the aliased one).
            case GoType.Named n -> shape(universe.decl(n).type());
        };
    }
}
