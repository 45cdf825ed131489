package io.kubevisor.api.codec;

import java.util.List;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;

/**
 * Protobuf schemas for API groups that the published Kubernetes proto classes lack
 * (coordination.k8s.io/v1, discovery.k8s.io/v1, events.k8s.io/v1). They are declared here by
 * hand from the field numbers of Kubernetes' {@code generated.proto} files, so the wire format
 * is the one a Kubernetes client writes.
 */
final class ExtraProtos {

    private static final String META = ".k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String CORE = ".k8s.io.api.core.v1.";

    private ExtraProtos() {
    }

    /** Builds the three files; each call returns new descriptors (callers keep one set). */
    static List<FileDescriptor> build() {
        FileDescriptor[] deps = {Meta.getDescriptor(), V1.getDescriptor()};
        return List.of(
                link(coordination(), deps),
                link(discovery(), deps),
                link(events(), deps));
    }

    private static FileDescriptor link(FileDescriptorProto proto, FileDescriptor[] deps) {
        try {
            return FileDescriptor.buildFrom(proto, deps);
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("bad built-in proto schema " + proto.getName() + ": " + e.getMessage(), e);
        }
    }

    private static FileDescriptorProto.Builder file(String path, String pkg) {
        return FileDescriptorProto.newBuilder()
                .setName(path)
                .setPackage(pkg)
                .setSyntax("proto2")
                .addDependency(Meta.getDescriptor().getName())
                .addDependency(V1.getDescriptor().getName());
    }

    private static FileDescriptorProto coordination() {
        String pkg = "k8s.io.api.coordination.v1";
        return file("k8s.io/api/coordination/v1/generated.proto", pkg)
                .addMessageType(message("Lease",
                        msg("metadata", 1, META + "ObjectMeta"),
                        msg("spec", 2, "." + pkg + ".LeaseSpec")))
                .addMessageType(message("LeaseSpec",
                        scalar("holderIdentity", 1, Type.TYPE_STRING),
                        scalar("leaseDurationSeconds", 2, Type.TYPE_INT32),
                        msg("acquireTime", 3, META + "MicroTime"),
                        msg("renewTime", 4, META + "MicroTime"),
                        scalar("leaseTransitions", 5, Type.TYPE_INT32),
                        scalar("strategy", 6, Type.TYPE_STRING),
                        scalar("preferredHolder", 7, Type.TYPE_STRING)))
                .build();
    }

    private static FileDescriptorProto discovery() {
        String pkg = "k8s.io.api.discovery.v1";
        String p = "." + pkg + ".";
        DescriptorProto.Builder endpoint = message("Endpoint",
                repeated("addresses", 1, Type.TYPE_STRING, null),
                msg("conditions", 2, p + "EndpointConditions"),
                scalar("hostname", 3, Type.TYPE_STRING),
                msg("targetRef", 4, CORE + "ObjectReference"),
                repeated("deprecatedTopology", 5, Type.TYPE_MESSAGE, p + "Endpoint.DeprecatedTopologyEntry"),
                scalar("nodeName", 6, Type.TYPE_STRING),
                scalar("zone", 7, Type.TYPE_STRING),
                msg("hints", 8, p + "EndpointHints"));
        endpoint.addNestedType(stringMapEntry("DeprecatedTopologyEntry"));
        return file("k8s.io/api/discovery/v1/generated.proto", pkg)
                .addMessageType(endpoint)
                .addMessageType(message("EndpointConditions",
                        scalar("ready", 1, Type.TYPE_BOOL),
                        scalar("serving", 2, Type.TYPE_BOOL),
                        scalar("terminating", 3, Type.TYPE_BOOL)))
                .addMessageType(message("EndpointHints",
                        repeated("forZones", 1, Type.TYPE_MESSAGE, p + "ForZone"),
                        repeated("forNodes", 2, Type.TYPE_MESSAGE, p + "ForNode")))
                .addMessageType(message("ForZone", scalar("name", 1, Type.TYPE_STRING)))
                .addMessageType(message("ForNode", scalar("name", 1, Type.TYPE_STRING)))
                .addMessageType(message("EndpointPort",
                        scalar("name", 1, Type.TYPE_STRING),
                        scalar("protocol", 2, Type.TYPE_STRING),
                        scalar("port", 3, Type.TYPE_INT32),
                        scalar("appProtocol", 4, Type.TYPE_STRING)))
                .addMessageType(message("EndpointSlice",
                        msg("metadata", 1, META + "ObjectMeta"),
                        scalar("addressType", 4, Type.TYPE_STRING),
                        repeated("endpoints", 2, Type.TYPE_MESSAGE, p + "Endpoint"),
                        repeated("ports", 3, Type.TYPE_MESSAGE, p + "EndpointPort")))
                .build();
    }

    private static FileDescriptorProto events() {
        String pkg = "k8s.io.api.events.v1";
        String p = "." + pkg + ".";
        return file("k8s.io/api/events/v1/generated.proto", pkg)
                .addMessageType(message("Event",
                        msg("metadata", 1, META + "ObjectMeta"),
                        msg("eventTime", 2, META + "MicroTime"),
                        msg("series", 3, p + "EventSeries"),
                        scalar("reportingController", 4, Type.TYPE_STRING),
                        scalar("reportingInstance", 5, Type.TYPE_STRING),
                        scalar("action", 6, Type.TYPE_STRING),
                        scalar("reason", 7, Type.TYPE_STRING),
                        msg("regarding", 8, CORE + "ObjectReference"),
                        msg("related", 9, CORE + "ObjectReference"),
                        scalar("note", 10, Type.TYPE_STRING),
                        scalar("type", 11, Type.TYPE_STRING),
                        msg("deprecatedSource", 12, CORE + "EventSource"),
                        msg("deprecatedFirstTimestamp", 13, META + "Time"),
                        msg("deprecatedLastTimestamp", 14, META + "Time"),
                        scalar("deprecatedCount", 15, Type.TYPE_INT32)))
                .addMessageType(message("EventSeries",
                        scalar("count", 1, Type.TYPE_INT32),
                        msg("lastObservedTime", 2, META + "MicroTime")))
                .build();
    }

    private static DescriptorProto.Builder message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) {
            b.addField(f);
        }
        return b;
    }

    private static DescriptorProto stringMapEntry(String name) {
        return message(name, scalar("key", 1, Type.TYPE_STRING), scalar("value", 2, Type.TYPE_STRING))
                .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                .build();
    }

    private static FieldDescriptorProto scalar(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setJsonName(name).setNumber(number)
                .setLabel(Label.LABEL_OPTIONAL).setType(type).build();
    }

    private static FieldDescriptorProto msg(String name, int number, String typeName) {
        return FieldDescriptorProto.newBuilder().setName(name).setJsonName(name).setNumber(number)
                .setLabel(Label.LABEL_OPTIONAL).setType(Type.TYPE_MESSAGE).setTypeName(typeName).build();
    }

    private static FieldDescriptorProto repeated(String name, int number, Type type, String typeName) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setJsonName(name)
                .setNumber(number).setLabel(Label.LABEL_REPEATED).setType(type);
        if (typeName != null) {
            b.setTypeName(typeName);
        }
        return b.build();
    }
}
