package io.kubevisor.apiserver.auth.rbac;

import java.util.List;
import java.util.Map;

import io.kubevisor.api.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds rbac.authorization.k8s.io/v1 objects as plain JSON for tests. */
public final class RbacObjects {

    private RbacObjects() {
    }

    public record SubjectRef(String kind, String name, String namespace) {
    }

    public static SubjectRef user(String name) {
        return new SubjectRef("User", name, null);
    }

    public static SubjectRef group(String name) {
        return new SubjectRef("Group", name, null);
    }

    public static SubjectRef serviceAccount(String namespace, String name) {
        return new SubjectRef("ServiceAccount", name, namespace);
    }

    public static ObjectNode rule(List<String> verbs, List<String> groups, List<String> resources) {
        return PolicyRule.resources(verbs, groups, resources).toJson();
    }

    public static ObjectNode rule(List<String> verbs, List<String> groups, List<String> resources,
                                  List<String> names) {
        return new PolicyRule(verbs, groups, resources, names, List.of()).toJson();
    }

    public static ObjectNode urlRule(List<String> verbs, List<String> urls) {
        return PolicyRule.urls(verbs, urls).toJson();
    }

    public static ObjectNode clusterRole(String name, ObjectNode... rules) {
        return withRules(object("ClusterRole", name, null), rules);
    }

    public static ObjectNode clusterRole(String name, Map<String, String> labels, ObjectNode... rules) {
        ObjectNode r = clusterRole(name, rules);
        ObjectNode l = ((ObjectNode) r.get("metadata")).putObject("labels");
        labels.forEach(l::put);
        return r;
    }

    /** A ClusterRole aggregating ClusterRoles whose labels match one of the given selectors. */
    public static ObjectNode aggregatedClusterRole(String name, ObjectNode... selectors) {
        ObjectNode r = object("ClusterRole", name, null);
        ArrayNode s = r.putObject("aggregationRule").putArray("clusterRoleSelectors");
        for (ObjectNode sel : selectors) {
            s.add(sel);
        }
        return r;
    }

    public static ObjectNode role(String namespace, String name, ObjectNode... rules) {
        return withRules(object("Role", name, namespace), rules);
    }

    public static ObjectNode clusterRoleBinding(String name, String clusterRole, SubjectRef... subjects) {
        return binding(object("ClusterRoleBinding", name, null), "ClusterRole", clusterRole, subjects);
    }

    public static ObjectNode roleBinding(String namespace, String name, String roleKind, String roleName,
                                         SubjectRef... subjects) {
        return binding(object("RoleBinding", name, namespace), roleKind, roleName, subjects);
    }

    private static ObjectNode binding(ObjectNode b, String roleKind, String roleName, SubjectRef... subjects) {
        ObjectNode ref = b.putObject("roleRef");
        ref.put("apiGroup", "rbac.authorization.k8s.io");
        ref.put("kind", roleKind);
        ref.put("name", roleName);
        ArrayNode s = b.putArray("subjects");
        for (SubjectRef subject : subjects) {
            ObjectNode n = s.addObject();
            n.put("kind", subject.kind());
            n.put("name", subject.name());
            if (subject.kind().equals("ServiceAccount")) {
                if (subject.namespace() != null) {
                    n.put("namespace", subject.namespace());
                }
            } else {
                n.put("apiGroup", "rbac.authorization.k8s.io");
            }
        }
        return b;
    }

    private static ObjectNode withRules(ObjectNode o, ObjectNode... rules) {
        ArrayNode r = o.putArray("rules");
        for (ObjectNode rule : rules) {
            r.add(rule);
        }
        return o;
    }

    private static ObjectNode object(String kind, String name, String namespace) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "rbac.authorization.k8s.io/v1");
        o.put("kind", kind);
        ObjectNode m = o.putObject("metadata");
        m.put("name", name);
        if (namespace != null) {
            m.put("namespace", namespace);
        }
        return o;
    }
}
