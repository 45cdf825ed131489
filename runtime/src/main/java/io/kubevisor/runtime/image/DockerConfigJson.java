package io.kubevisor.runtime.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * Reads the credentials of an imagePullSecret: {@code .dockerconfigjson}
 * ({@code {"auths": {host: {...}}}}) or the legacy {@code .dockercfg} ({@code {host: {...}}}).
 * An entry gives {@code auth} (base64 of {@code user:password}) or {@code username} and
 * {@code password}; entries with neither are skipped.
 */
public final class DockerConfigJson {

    private DockerConfigJson() {
    }

    /**
     * Parses the secret's bytes into credentials, in the file's order.
     *
     * @throws IllegalArgumentException when the bytes are not such a document
     */
    public static List<RegistryCredential> parse(byte[] bytes) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a docker config JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a docker config JSON: expected an object");
        }
        JsonNode auths = root.has("auths") ? root.get("auths") : root;
        if (!auths.isObject()) {
            throw new IllegalArgumentException("not a docker config JSON: \"auths\" is not an object");
        }
        List<RegistryCredential> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : auths.properties()) {
            JsonNode entry = e.getValue();
            String user = text(entry, "username");
            String password = text(entry, "password");
            String auth = text(entry, "auth");
            if (auth != null && !auth.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("docker config entry \"" + e.getKey()
                            + "\": auth is not base64", bad);
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("docker config entry \"" + e.getKey()
                            + "\": auth is not user:password");
                }
                user = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
            if (user != null && password != null && !(user.isEmpty() && password.isEmpty())) {
                out.add(new RegistryCredential(e.getKey(), user, password));
            }
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() ? v.asString() : null;
    }
}
