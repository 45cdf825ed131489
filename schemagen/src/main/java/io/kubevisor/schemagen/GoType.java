package io.kubevisor.schemagen;

import java.util.List;

/** A Go type expression, as far as API type files need it. */
sealed interface GoType {

    /**
     * A named type. {@code pkg} is the full import path of its package, or "" for Go's
     * predeclared types ({@code string}, {@code int32}, ...).
     */
    record Named(String pkg, String name) implements GoType {
        boolean builtin() {
            return pkg.isEmpty();
        }

        @Override
        public String toString() {
            return pkg.isEmpty() ? name : pkg + "." + name;
        }
    }

    record Pointer(GoType elem) implements GoType {
    }

    record Slice(GoType elem) implements GoType {
    }

    /** A fixed-length array; API types rarely use them and they render like slices. */
    record Array(String length, GoType elem) implements GoType {
    }

    record MapType(GoType key, GoType value) implements GoType {
    }

    record Struct(List<GoField> fields) implements GoType {
        public Struct {
            fields = List.copyOf(fields);
        }
    }

    /** Interfaces, funcs and channels: nothing an API object serializes. */
    record Other(String what) implements GoType {
    }
}
