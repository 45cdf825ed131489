package io.kubevisor.apiserver.apply;

/**
 * A value the field-tracking walk cannot follow: a keyed-list item without its key, duplicate
 * items in an applied configuration, a null inside a set. The message carries the path.
 */
final class SchemaViolation extends RuntimeException {

    SchemaViolation(String message) {
        super(message, null, false, false);
    }

    /** The same problem, prefixed with where it was found (structured-merge-diff's format). */
    SchemaViolation at(String path) {
        return new SchemaViolation(path + ": " + getMessage());
    }
}
