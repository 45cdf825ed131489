package io.kubevisor.api.table;

import java.util.Locale;

import io.kubevisor.api.ApiException;

/** What each Table row carries in {@code object}: the {@code includeObject} query parameter. */
public enum IncludeObject {
    /** No object. */
    NONE,
    /** A {@code PartialObjectMetadata} with the object's metadata; Kubernetes' default. */
    METADATA,
    /** The full object. */
    OBJECT;

    /**
     * Parses the query value ("None", "Metadata", "Object"); null or empty means METADATA.
     *
     * @throws ApiException.BadRequest for any other value
     */
    public static IncludeObject parse(String value) {
        if (value == null || value.isEmpty()) {
            return METADATA;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "metadata" -> METADATA;
            case "object" -> OBJECT;
            default -> throw new ApiException.BadRequest("Unsupported value: \"" + value
                    + "\": supported values: \"None\", \"Metadata\", \"Object\"");
        };
    }
}
