package io.kubevisor.apiserver.patch;

import java.util.Optional;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The patch media types kube-apiserver accepts on PATCH. Kubernetes matches the Content-Type
 * exactly after dropping parameters ({@code ; charset=utf-8}); there is no
 * {@code application/apply-patch+json}: server-side apply bodies are YAML (JSON is valid YAML).
 */
public enum PatchType {
    /** RFC 6902. */
    JSON("application/json-patch+json"),
    /** RFC 7386. */
    MERGE("application/merge-patch+json"),
    /** Kubernetes strategic merge patch. */
    STRATEGIC("application/strategic-merge-patch+json"),
    /** Server-side apply. */
    APPLY("application/apply-patch+yaml");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final String mediaType;

    PatchType(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type as it appears in Content-Type. */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The patch type named by a Content-Type header value, parameters ignored; empty for anything
     * else (the caller answers 415 with {@link ApiException.UnsupportedMediaType#forPatch}).
     */
    public static Optional<PatchType> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String bare = contentType;
        int semi = bare.indexOf(';');
        if (semi >= 0) {
            bare = bare.substring(0, semi);
        }
        bare = bare.strip();
        for (PatchType t : values()) {
            if (t.mediaType.equals(bare)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a request body of this patch type into a tree, failing the way kube-apiserver does:
     * 400 with {@code error decoding patch: ...} for JSON and merge patches, the bare decoder
     * message for strategic merge patches, {@code error decoding YAML: ...} for apply.
     */
    public JsonNode decode(byte[] body) {
        try {
            return switch (this) {
                case JSON, MERGE, STRATEGIC -> Json.MAPPER.readTree(body);
                case APPLY -> YAML.readTree(body);
            };
        } catch (JacksonException e) {
            String why = e.getOriginalMessage();
            throw new ApiException.BadRequest(switch (this) {
                case JSON, MERGE -> "error decoding patch: " + why;
                case STRATEGIC -> why;
                case APPLY -> "error decoding YAML: " + why;
            });
        }
    }
}
