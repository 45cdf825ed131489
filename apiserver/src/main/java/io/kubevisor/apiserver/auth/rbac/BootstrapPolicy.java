package io.kubevisor.apiserver.auth.rbac;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.Json;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ClusterRoles and ClusterRoleBindings a fresh cluster starts with, modelled on Kubernetes'
 * bootstrap policy and limited to the API groups Kubevisor serves. {@code admin}, {@code edit} and
 * {@code view} aggregate the {@code system:aggregate-to-*} roles by label, as in Kubernetes, so
 * roles for new resources can join them; their {@code rules} are pre-filled with the aggregated
 * result. Every object is labelled {@code kubernetes.io/bootstrapping: rbac-defaults} and annotated
 * {@code rbac.authorization.kubernetes.io/autoupdate: "true"}. Each call returns new objects the
 * caller owns.
 */
public final class BootstrapPolicy {

    public static final String BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping";
    public static final String AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";
    static final String AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";
    static final String AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
    static final String AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";

    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "update", "patch", "delete", "deletecollection");
    private static final List<String> READ_WRITE = List.of("get", "list", "watch", "create", "update", "patch",
            "delete", "deletecollection");
    private static final String CORE = "";
    private static final String APPS = "apps";
    private static final String BATCH = "batch";
    private static final String COORDINATION = "coordination.k8s.io";
    private static final String DISCOVERY = "discovery.k8s.io";
    private static final String EVENTS = "events.k8s.io";
    private static final String AUTHORIZATION = "authorization.k8s.io";
    private static final String AUTHENTICATION = "authentication.k8s.io";

    private BootstrapPolicy() {
    }

    /** The bootstrap ClusterRoles. */
    public static List<ObjectNode> clusterRoles() {
        var roles = new ArrayList<ObjectNode>();
        roles.add(role("cluster-admin", Map.of(),
                rule(List.of("*"), List.of("*"), "*"),
                PolicyRule.urls(List.of("*"), List.of("*"))));
        roles.add(role("system:discovery", Map.of(),
                PolicyRule.urls(List.of("get"), List.of("/livez", "/readyz", "/healthz", "/version", "/version/",
                        "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"))));
        roles.add(role("system:basic-user", Map.of(),
                rule(List.of("create"), List.of(AUTHORIZATION), "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                rule(List.of("create"), List.of(AUTHENTICATION), "selfsubjectreviews")));
        roles.add(role("system:public-info-viewer", Map.of(),
                PolicyRule.urls(List.of("get"), List.of("/livez", "/readyz", "/healthz", "/version", "/version/"))));
        roles.add(role("system:monitoring", Map.of(),
                PolicyRule.urls(List.of("get"), List.of("/metrics", "/metrics/slis", "/livez", "/readyz", "/healthz",
                        "/livez/*", "/readyz/*", "/healthz/*"))));

        roles.add(role("system:aggregate-to-admin", Map.of(AGGREGATE_TO_ADMIN, "true"),
                rule(List.of("create"), List.of(AUTHORIZATION), "localsubjectaccessreviews"),
                rule(READ_WRITE, List.of(RuleWalker.RBAC_GROUP), "roles", "rolebindings")));
        roles.add(role("system:aggregate-to-edit", Map.of(AGGREGATE_TO_EDIT, "true"),
                // Reading these can escalate (exec, secrets), so view does not have them.
                rule(READ, List.of(CORE), "pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets",
                        "services/proxy"),
                rule(List.of("impersonate"), List.of(CORE), "serviceaccounts"),
                rule(WRITE, List.of(CORE), "pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"),
                rule(List.of("create"), List.of(CORE), "pods/eviction"),
                rule(WRITE, List.of(CORE), "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                        "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets"),
                rule(List.of("create"), List.of(CORE), "serviceaccounts/token"),
                rule(WRITE, List.of(APPS), "statefulsets", "statefulsets/scale", "daemonsets", "deployments",
                        "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"),
                rule(WRITE, List.of(BATCH), "jobs", "cronjobs"),
                rule(WRITE, List.of(COORDINATION), "leases")));
        roles.add(role("system:aggregate-to-view", Map.of(AGGREGATE_TO_VIEW, "true"),
                rule(READ, List.of(CORE), "pods", "replicationcontrollers", "replicationcontrollers/scale",
                        "serviceaccounts", "services", "services/status", "endpoints", "persistentvolumeclaims",
                        "persistentvolumeclaims/status", "configmaps"),
                rule(READ, List.of(CORE), "limitranges", "resourcequotas", "bindings", "events", "pods/status",
                        "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log"),
                // Reading namespaces at namespace scope means reading *this* namespace.
                rule(READ, List.of(CORE), "namespaces"),
                rule(READ, List.of(DISCOVERY), "endpointslices"),
                rule(READ, List.of(APPS), "controllerrevisions", "statefulsets", "statefulsets/status",
                        "statefulsets/scale", "daemonsets", "daemonsets/status", "deployments", "deployments/status",
                        "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"),
                rule(READ, List.of(BATCH), "jobs", "cronjobs", "cronjobs/status", "jobs/status"),
                rule(READ, List.of(EVENTS), "events"),
                rule(READ, List.of(COORDINATION), "leases")));

        roles.add(aggregating("admin", Map.of(), AGGREGATE_TO_ADMIN));
        roles.add(aggregating("edit", Map.of(AGGREGATE_TO_ADMIN, "true"), AGGREGATE_TO_EDIT));
        roles.add(aggregating("view", Map.of(AGGREGATE_TO_EDIT, "true"), AGGREGATE_TO_VIEW));
        fillAggregatedRules(roles);
        return roles;
    }

    /** The bootstrap ClusterRoleBindings. */
    public static List<ObjectNode> clusterRoleBindings() {
        return List.of(
                binding("cluster-admin", UserInfo.MASTERS),
                binding("system:discovery", UserInfo.AUTHENTICATED),
                binding("system:basic-user", UserInfo.AUTHENTICATED),
                binding("system:public-info-viewer", UserInfo.AUTHENTICATED, UserInfo.UNAUTHENTICATED),
                binding("system:monitoring", "system:monitoring"));
    }

    private static PolicyRule rule(List<String> verbs, List<String> groups, String... resources) {
        return PolicyRule.resources(verbs, groups, List.of(resources));
    }

    private static ObjectNode role(String name, Map<String, String> labels, PolicyRule... rules) {
        ObjectNode role = object("ClusterRole", name, labels);
        ArrayNode r = role.putArray("rules");
        for (PolicyRule rule : rules) {
            r.add(rule.toJson());
        }
        return role;
    }

    private static ObjectNode aggregating(String name, Map<String, String> labels, String selectLabel) {
        ObjectNode role = object("ClusterRole", name, labels);
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject()
                .putObject("matchLabels").put(selectLabel, "true");
        role.putArray("rules");
        return role;
    }

    /** Writes into each aggregating role the rules the aggregation resolves to, as Kubernetes' controller would. */
    private static void fillAggregatedRules(List<ObjectNode> roles) {
        var walker = new RuleWalker(new SnapshotRbacSource(roles));
        for (ObjectNode role : roles) {
            if (role.has("aggregationRule")) {
                ArrayNode rules = role.putArray("rules");
                walker.clusterRoleRules(role, new HashSet<>()).forEach(r -> rules.add(r.toJson()));
            }
        }
    }

    private static ObjectNode binding(String roleName, String... groups) {
        ObjectNode b = object("ClusterRoleBinding", roleName, Map.of());
        ObjectNode ref = b.putObject("roleRef");
        ref.put("apiGroup", RuleWalker.RBAC_GROUP);
        ref.put("kind", "ClusterRole");
        ref.put("name", roleName);
        ArrayNode subjects = b.putArray("subjects");
        for (String g : groups) {
            ObjectNode s = subjects.addObject();
            s.put("apiGroup", RuleWalker.RBAC_GROUP);
            s.put("kind", "Group");
            s.put("name", g);
        }
        return b;
    }

    private static ObjectNode object(String kind, String name, Map<String, String> labels) {
        ObjectNode o = Json.object();
        o.put("apiVersion", RuleWalker.RBAC_GROUP + "/v1");
        o.put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        ObjectNode l = meta.putObject("labels");
        l.put(BOOTSTRAP_LABEL, "rbac-defaults");
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> l.put(e.getKey(), e.getValue()));
        meta.putObject("annotations").put(AUTOUPDATE_ANNOTATION, "true");
        return o;
    }
}
