package io.kubevisor.schemagen;

import java.util.List;
import java.util.Map;

/**
 * What the generator needs from one Go file.
 *
 * @param pkg         the file's package import path (as configured by the caller)
 * @param types       type declarations in source order
 * @param consts      constants with a declared type and a string literal value
 * @param stringMaps  package-level {@code var x = map[string]string{...}} literals by variable name
 */
record GoFile(String pkg, List<TypeDecl> types, List<ConstDecl> consts, Map<String, Map<String, String>> stringMaps) {

    /**
     * A type declaration.
     *
     * @param doc        the closest comment group above it
     * @param markerDoc  the closest and the second-closest comment groups: markers may sit in either
     * @param alias      whether it was declared {@code type A = B}
     */
    record TypeDecl(String name, GoType type, List<String> doc, List<String> markerDoc, boolean alias) {
        TypeDecl {
            doc = List.copyOf(doc);
            markerDoc = List.copyOf(markerDoc);
        }
    }

    /** A typed string constant, e.g. {@code RestartPolicyAlways RestartPolicy = "Always"}. */
    record ConstDecl(String name, GoType.Named type, String value, List<String> doc) {
        ConstDecl {
            doc = List.copyOf(doc);
        }
    }
}
