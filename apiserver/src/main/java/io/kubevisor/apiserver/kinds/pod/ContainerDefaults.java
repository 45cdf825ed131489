package io.kubevisor.apiserver.kinds.pod;

import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Nodes;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' defaults for one container (SetDefaults_Container, _ContainerPort, _Probe,
 * _HTTPGetAction, _ObjectFieldSelector, _ResourceList and the declarative ones), also for init and
 * ephemeral containers. Drops the zero values of non-pointer fields that protobuf bodies carry.
 */
final class ContainerDefaults {

    private static final String[] PROBES = {"livenessProbe", "readinessProbe", "startupProbe"};

    private ContainerDefaults() {
    }

    static void apply(ObjectNode c) {
        Nodes.dropZero(c, "stdin", "stdinOnce", "tty", "workingDir", "terminationMessagePath",
                "terminationMessagePolicy", "imagePullPolicy");
        if (!Nodes.has(c, "imagePullPolicy")) {
            c.put("imagePullPolicy", ImageNames.defaultPullPolicy(Nodes.text(c, "image")));
        }
        Nodes.defaultText(c, "terminationMessagePath", "/dev/termination-log");
        Nodes.defaultText(c, "terminationMessagePolicy", "File");
        // ResourceRequirements is a struct, not a pointer: Kubernetes always writes it.
        ObjectNode resources = Nodes.object(c, "resources");
        ResourceLists.canonicalize(resources, "requests");
        ResourceLists.canonicalize(resources, "limits");
        Nodes.dropEmpty(resources, "requests", "limits", "claims");
        for (ObjectNode p : Nodes.objects(c, "ports")) {
            Nodes.dropZero(p, "hostPort", "hostIP", "name");
            Nodes.defaultText(p, "protocol", "TCP");
        }
        for (ObjectNode e : Nodes.objects(c, "env")) {
            Nodes.dropZero(e, "value");
            if (Nodes.objectOrNull(e, "valueFrom") instanceof ObjectNode from) {
                fieldRef(Nodes.objectOrNull(from, "fieldRef"));
                resourceFieldRef(Nodes.objectOrNull(from, "resourceFieldRef"));
            }
        }
        for (ObjectNode m : Nodes.objects(c, "volumeMounts")) {
            Nodes.dropZero(m, "readOnly", "subPath", "subPathExpr");
        }
        for (String probe : PROBES) {
            if (Nodes.objectOrNull(c, probe) instanceof ObjectNode p) {
                probe(p);
            }
        }
        if (Nodes.objectOrNull(c, "lifecycle") instanceof ObjectNode lc) {
            for (String hook : new String[] {"postStart", "preStop"}) {
                if (Nodes.objectOrNull(lc, hook) instanceof ObjectNode h) {
                    httpGet(Nodes.objectOrNull(h, "httpGet"));
                }
            }
        }
    }

    private static void probe(ObjectNode p) {
        Nodes.dropZero(p, "initialDelaySeconds");
        Nodes.defaultNonZero(p, "timeoutSeconds", 1);
        Nodes.defaultNonZero(p, "periodSeconds", 10);
        Nodes.defaultNonZero(p, "successThreshold", 1);
        Nodes.defaultNonZero(p, "failureThreshold", 3);
        httpGet(Nodes.objectOrNull(p, "httpGet"));
        if (Nodes.objectOrNull(p, "grpc") instanceof ObjectNode grpc && !grpc.hasNonNull("service")) {
            grpc.put("service", "");
        }
    }

    private static void httpGet(ObjectNode h) {
        if (h != null) {
            Nodes.defaultText(h, "path", "/");
            Nodes.defaultText(h, "scheme", "HTTP");
        }
    }

    /** ObjectFieldSelector: apiVersion defaults to v1. */
    static void fieldRef(ObjectNode ref) {
        if (ref != null) {
            Nodes.defaultText(ref, "apiVersion", "v1");
        }
    }

    /** ResourceFieldSelector: its divisor is a Quantity struct, written as "0" when unset. */
    static void resourceFieldRef(ObjectNode ref) {
        if (ref != null) {
            if (!ref.hasNonNull("divisor")) {
                ref.put("divisor", "0");
            } else {
                ResourceLists.canonicalizeOne(ref, "divisor");
            }
        }
    }
}
