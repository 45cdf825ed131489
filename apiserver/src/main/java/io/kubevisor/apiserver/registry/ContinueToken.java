package io.kubevisor.apiserver.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The opaque {@code continue} token of a paged list: the revision the list is consistent at and
 * the last key returned, in Kubernetes' encoding (base64 of {"v","rv","start"}).
 */
record ContinueToken(long revision, String startAfter) {

    String encode() {
        ObjectNode o = Json.object();
        o.put("v", "meta.k8s.io/v1");
        o.put("rv", revision);
        o.put("start", startAfter);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(o));
    }

    static ContinueToken decode(String token) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token.trim());
            JsonNode n = Json.parse(raw);
            if (!"meta.k8s.io/v1".equals(n.path("v").asString("")) || !n.path("rv").canConvertToLong()
                    || n.path("start").asString("").isEmpty()) {
                throw new IllegalArgumentException("bad fields");
            }
            return new ContinueToken(n.path("rv").asLong(), n.path("start").asString());
        } catch (IllegalArgumentException | ApiException e) {
            throw new ApiException.BadRequest("continue key is not valid: " + new String(token.getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
        }
    }
}
