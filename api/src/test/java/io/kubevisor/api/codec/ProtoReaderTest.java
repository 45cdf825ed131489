package io.kubevisor.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

class ProtoReaderTest {

    private final ProtoReader reader = new ProtoReader(bytes -> ProtobufCodec.decode(bytes).object());

    @Test
    void rawExtensionHoldingJsonIsEmbeddedAsJson() {
        Meta.WatchEvent event = Meta.WatchEvent.newBuilder()
                .setType("ADDED")
                .setObject(Runtime.RawExtension.newBuilder()
                        .setRaw(ByteString.copyFromUtf8("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p\"}}")))
                .build();

        JsonNode json = reader.object(event);

        assertThat(json).isEqualTo(Json.parse(
                "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p\"}}}"));
    }

    @Test
    void rawExtensionHoldingProtobufIsDecodedInTurn() {
        byte[] nested = ProtobufCodec.encode(new GroupVersionKind("", "v1", "ConfigMap"),
                Json.parse("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\"}}"));
        Meta.WatchEvent event = Meta.WatchEvent.newBuilder().setType("MODIFIED")
                .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(nested))).build();

        JsonNode json = reader.object(event);

        assertThat(json.at("/object/kind").asString()).isEqualTo("ConfigMap");
        assertThat(json.at("/object/data/a").asString()).isEqualTo("1");
    }

    @Test
    void emptyRawExtensionIsNull() {
        Meta.WatchEvent event = Meta.WatchEvent.newBuilder().setType("ERROR")
                .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.EMPTY)).build();
        assertThat(reader.object(event).path("object").isNull()).isTrue();
    }

    @Test
    void goNamedStringSlicesAreArrays() {
        Meta.APIResource resource = Meta.APIResource.newBuilder().setName("pods").setNamespaced(true).setKind("Pod")
                .setVerbs(Meta.Verbs.newBuilder().addItems("get").addItems("list")).build();
        assertThat(reader.object(resource).path("verbs").toString()).isEqualTo("[\"get\",\"list\"]");
    }
}
