package io.kubevisor.api;

import java.io.IOException;
import java.io.InputStream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The project's one JSON configuration. Mappers are immutable and thread-safe, so one shared
 * instance is not mutable state.
 */
public final class Json {

    /** Parses and writes API objects as trees; keeps number precision and key order. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses bytes into a tree; malformed input raises {@link ApiException.BadRequest}. */
    public static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new ApiException.BadRequest(describe(e));
        }
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ApiException.BadRequest(describe(e));
        }
    }

    public static JsonNode parse(InputStream in) throws IOException {
        try {
            return MAPPER.readTree(in);
        } catch (JacksonException e) {
            throw new ApiException.BadRequest(describe(e));
        }
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    public static String string(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** A one-line description of a parse failure, without Jackson's source excerpt. */
    public static String describe(JacksonException e) {
        String m = e.getOriginalMessage();
        var loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            return "error decoding JSON: " + m + " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        }
        return "error decoding JSON: " + m;
    }
}
