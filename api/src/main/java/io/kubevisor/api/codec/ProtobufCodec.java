package io.kubevisor.api.codec;

import java.util.Arrays;
import java.util.Set;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import io.kubernetes.client.proto.Runtime;
import io.kubevisor.api.ApiException;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' protobuf wire format ({@value #MEDIA_TYPE}) for request bodies: the four magic
 * bytes {@code k8s\0}, then a {@code runtime.Unknown} envelope whose {@code raw} holds the
 * object's own message. kubectl 1.32+ sends {@code create namespace|deployment|configmap|
 * secret|service|job} and {@code auth can-i} this way and never falls back to JSON, so the API
 * server decodes these bodies into the same JSON trees a JSON client would have sent: the JSON
 * kube-apiserver would write for the object, with Go's zero-value rules applied
 * ({@link ZeroValueNormalizer}).
 *
 * <p>All methods are static, stateless and thread-safe; returned trees are new and owned by
 * the caller.
 */
public final class ProtobufCodec {

    /** The Content-Type of Kubernetes protobuf bodies. */
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final ProtoSchemas SCHEMAS = new ProtoSchemas();
    private static final ProtoReader READER = new ProtoReader(ProtobufCodec::decodeNested);
    private static final ProtoWriter WRITER = new ProtoWriter();

    private ProtobufCodec() {
    }

    /**
     * A decoded body.
     *
     * @param gvk    the kind named by the envelope
     * @param object the object as Kubernetes JSON, with {@code kind} and {@code apiVersion} first
     *               and the other fields in Go's declaration order
     */
    public record Decoded(GroupVersionKind gvk, ObjectNode object) {
    }

    /**
     * Decodes a protobuf request body.
     *
     * @throws ApiException.BadRequest when the magic is missing, the bytes are not a valid
     *                                 message, or the kind has no protobuf schema here
     */
    public static Decoded decode(byte[] body) {
        if (!hasMagic(body)) {
            throw new ApiException.BadRequest(
                    "unable to decode protobuf body: missing the \"k8s\\x00\" prefix of " + MEDIA_TYPE);
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
        } catch (InvalidProtocolBufferException e) {
            throw new ApiException.BadRequest("unable to decode protobuf body: " + e.getMessage());
        }
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new ApiException.BadRequest(
                    "unable to decode protobuf body: the envelope names no apiVersion and kind");
        }
        if (!envelope.getContentEncoding().isEmpty()) {
            throw new ApiException.BadRequest("unable to decode protobuf body: unsupported content encoding \""
                    + envelope.getContentEncoding() + "\"");
        }
        GroupVersionKind gvk = GroupVersionKind.of(apiVersion, kind);
        Descriptor type = SCHEMAS.find(gvk).orElseThrow(() -> new ApiException.BadRequest(
                "protobuf is not supported for " + gvk + ", send JSON"));
        DynamicMessage message;
        try {
            message = DynamicMessage.parseFrom(type, envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw new ApiException.BadRequest(
                    "unable to decode protobuf body as " + gvk + ": " + e.getMessage());
        }
        ObjectNode object = Json.object();
        object.put("kind", kind);
        object.put("apiVersion", apiVersion);
        try {
            object.setAll(READER.object(message));
            SCHEMAS.jsonSchema(type).ifPresent(schema -> ZeroValueNormalizer.normalize(object, schema));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ApiException.BadRequest("unable to decode protobuf body as " + gvk + ": " + e.getMessage());
        }
        return new Decoded(gvk, object);
    }

    /**
     * Encodes an object the way a Kubernetes client does, envelope and magic included.
     *
     * @throws IllegalArgumentException when the kind has no protobuf schema or a field cannot
     *                                  be represented (the message names the JSON path)
     */
    public static byte[] encode(GroupVersionKind gvk, JsonNode object) {
        Descriptor type = SCHEMAS.find(gvk).orElseThrow(() -> new IllegalArgumentException(
                "protobuf is not supported for " + gvk));
        Message message = WRITER.write(type, object);
        Runtime.Unknown envelope = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(gvk.apiVersion()).setKind(gvk.kind()))
                .setRaw(message.toByteString())
                .setContentEncoding("")
                .setContentType("")
                .build();
        ByteString out = ByteString.copyFrom(MAGIC).concat(envelope.toByteString());
        return out.toByteArray();
    }

    /** Whether protobuf bodies of this kind can be decoded. */
    public static boolean supports(GroupVersionKind gvk) {
        return SCHEMAS.find(gvk).isPresent();
    }

    /** Every kind with a protobuf schema (DeleteOptions is also accepted in each served group). */
    public static Set<GroupVersionKind> supportedKinds() {
        return SCHEMAS.supported();
    }

    /** Served kinds for which no protobuf schema exists; their protobuf bodies are refused. */
    public static Set<GroupVersionKind> unsupportedKinds() {
        return SCHEMAS.missing();
    }

    static boolean hasMagic(byte[] body) {
        return body != null && body.length >= MAGIC.length
                && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static JsonNode decodeNested(byte[] bytes) {
        return decode(bytes).object();
    }
}
