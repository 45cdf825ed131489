package io.kubevisor.e2e.fabric8;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;

/** A valid object, a legal change and a legal status change for every stored built-in kind. */
final class BuiltinKindCases {

    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private BuiltinKindCases() {
    }

    /** Every case; namespaced objects will be created in {@code ns}. */
    static List<KindCase<?>> all(String ns) {
        return List.of(
                namespace(), pod(), configMap(), secret(), serviceAccount(), coreEvent(ns), node(), service(),
                endpoints(), limitRange(), resourceQuota(), pvc(),
                deployment(), replicaSet(), statefulSet(), daemonSet(), job(), cronJob(),
                lease(), role(), roleBinding(), clusterRole(), clusterRoleBinding(),
                eventsV1(ns), endpointSlice());
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String microNow() {
        return MICRO.format(Instant.now());
    }

    /** A quantity as a plain number, so "1Gi", "1024Mi" and "1073741824" compare equal. */
    static String qty(Quantity q) {
        return q == null ? null : q.getNumericalAmount().stripTrailingZeros().toPlainString();
    }

    static PodTemplateSpec template(String app, String image, String restartPolicy) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy)
                .addNewContainer().withName("c").withImage(image).endContainer()
                .endSpec().build();
    }

    private static KindCase<Namespace> namespace() {
        return KindCase.of("", "Namespace", Namespace.class, false,
                        n -> new NamespaceBuilder().withNewMetadata().withName(n).endMetadata().build(),
                        o -> new NamespaceBuilder(o).editMetadata().addToAnnotations("note", "changed").endMetadata().build(),
                        o -> o.getMetadata().getAnnotations().get("note"))
                .withStatus(o -> new NamespaceBuilder(o).editOrNewStatus().withPhase("Active").addNewCondition()
                                .withType("NamespaceContentRemaining").withStatus("False").withReason("ContentRemoved")
                                .withMessage("nothing left").withLastTransitionTime(now()).endCondition().endStatus().build(),
                        o -> o.getStatus().getConditions().stream().map(c -> c.getType()).toList());
    }

    private static KindCase<Pod> pod() {
        // A scheduler name nobody serves: the cluster's scheduler would otherwise write the pod's
        // status (PodScheduled) while the test holds it, as on any real cluster.
        return KindCase.of("", "Pod", Pod.class, true,
                        n -> new PodBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withSchedulerName("crud-test-no-scheduler")
                                .addNewContainer().withName("c").withImage("nginx:1.27").endContainer().endSpec().build(),
                        o -> new PodBuilder(o).editSpec().editFirstContainer().withImage("nginx:1.28").endContainer()
                                .endSpec().build(),
                        o -> o.getSpec().getContainers().getFirst().getImage())
                .withStatus(o -> new PodBuilder(o).editOrNewStatus().withMessage("set by the status subresource")
                                .endStatus().build(),
                        o -> o.getStatus().getMessage());
    }

    private static KindCase<ConfigMap> configMap() {
        return KindCase.of("", "ConfigMap", ConfigMap.class, true,
                n -> new ConfigMapBuilder().withNewMetadata().withName(n).endMetadata().addToData("a", "1").build(),
                o -> new ConfigMapBuilder(o).addToData("a", "2").build(),
                o -> o.getData().get("a"));
    }

    private static KindCase<Secret> secret() {
        return KindCase.of("", "Secret", Secret.class, true,
                n -> new SecretBuilder().withNewMetadata().withName(n).endMetadata().withType("Opaque")
                        .addToData("a", b64("1")).build(),
                o -> new SecretBuilder(o).addToData("a", b64("2")).build(),
                o -> new String(Base64.getDecoder().decode(o.getData().get("a")), StandardCharsets.UTF_8));
    }

    private static KindCase<ServiceAccount> serviceAccount() {
        return KindCase.of("", "ServiceAccount", ServiceAccount.class, true,
                n -> new ServiceAccountBuilder().withNewMetadata().withName(n).endMetadata().build(),
                o -> new ServiceAccountBuilder(o).withAutomountServiceAccountToken(false).build(),
                ServiceAccount::getAutomountServiceAccountToken);
    }

    private static KindCase<io.fabric8.kubernetes.api.model.Event> coreEvent(String ns) {
        return KindCase.of("", "Event", io.fabric8.kubernetes.api.model.Event.class, true,
                n -> new EventBuilder().withNewMetadata().withName(n).endMetadata()
                        .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withName("x").withNamespace(ns)
                        .endInvolvedObject()
                        .withReason("Tested").withMessage("hello").withType("Normal").withCount(1)
                        .withFirstTimestamp(now()).withLastTimestamp(now())
                        .withNewSource().withComponent("e2e").endSource().build(),
                o -> new EventBuilder(o).withCount(2).withMessage("hello again").build(),
                io.fabric8.kubernetes.api.model.Event::getMessage);
    }

    private static KindCase<io.fabric8.kubernetes.api.model.events.v1.Event> eventsV1(String ns) {
        return KindCase.of("events.k8s.io", "Event", io.fabric8.kubernetes.api.model.events.v1.Event.class, true,
                n -> new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withNewMetadata().withName(n)
                        .endMetadata().withEventTime(new MicroTime(microNow()))
                        .withReportingController("kubevisor.io/e2e").withReportingInstance("e2e-1")
                        .withAction("Testing").withReason("Tested").withType("Normal").withNote("hello")
                        .withNewRegarding().withApiVersion("v1").withKind("Pod").withName("x").withNamespace(ns)
                        .endRegarding().build(),
                o -> new io.fabric8.kubernetes.api.model.events.v1.EventBuilder(o).withNewSeries().withCount(2)
                        .withLastObservedTime(new MicroTime(microNow())).endSeries().build(),
                o -> o.getSeries() == null ? null : o.getSeries().getCount());
    }

    private static KindCase<Node> node() {
        return KindCase.of("", "Node", Node.class, false,
                        n -> new NodeBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withUnschedulable(false).endSpec().build(),
                        o -> new NodeBuilder(o).editSpec().withUnschedulable(true).endSpec().build(),
                        o -> o.getSpec().getUnschedulable())
                .withStatus(o -> new NodeBuilder(o).editOrNewStatus().addToCapacity("cpu", new Quantity("4"))
                                .addToAllocatable("cpu", new Quantity("4")).endStatus().build(),
                        o -> qty(o.getStatus().getCapacity().get("cpu")));
    }

    private static KindCase<Service> service() {
        return KindCase.of("", "Service", Service.class, true,
                        n -> new ServiceBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .addToSelector("app", n).addNewPort().withName("http").withPort(80).endPort().endSpec()
                                .build(),
                        o -> new ServiceBuilder(o).editSpec().withSelector(Map.of("app", "other")).endSpec().build(),
                        o -> o.getSpec().getSelector())
                .withStatus(o -> new ServiceBuilder(o).editOrNewStatus().addNewCondition().withType("Tested")
                                .withStatus("True").withReason("Tested").withMessage("by e2e").withObservedGeneration(1L)
                                .withLastTransitionTime(now()).endCondition().endStatus().build(),
                        o -> o.getStatus().getConditions().stream().map(c -> c.getType()).toList());
    }

    private static KindCase<Endpoints> endpoints() {
        return KindCase.of("", "Endpoints", Endpoints.class, true,
                n -> new EndpointsBuilder().withNewMetadata().withName(n).endMetadata().addNewSubset()
                        .addNewAddress().withIp("10.0.0.1").endAddress().addNewPort().withName("http").withPort(80)
                        .endPort().endSubset().build(),
                o -> new EndpointsBuilder(o).editFirstSubset().editFirstAddress().withIp("10.0.0.2").endAddress()
                        .endSubset().build(),
                o -> o.getSubsets().getFirst().getAddresses().getFirst().getIp());
    }

    private static KindCase<LimitRange> limitRange() {
        return KindCase.of("", "LimitRange", LimitRange.class, true,
                n -> new LimitRangeBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec().addNewLimit()
                        .withType("Container").addToDefault("cpu", new Quantity("100m")).endLimit().endSpec().build(),
                o -> new LimitRangeBuilder(o).editSpec().editFirstLimit().addToDefault("cpu", new Quantity("200m"))
                        .endLimit().endSpec().build(),
                o -> qty(o.getSpec().getLimits().getFirst().getDefault().get("cpu")));
    }

    private static KindCase<ResourceQuota> resourceQuota() {
        return KindCase.of("", "ResourceQuota", ResourceQuota.class, true,
                        n -> new ResourceQuotaBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .addToHard("pods", new Quantity("10")).endSpec().build(),
                        o -> new ResourceQuotaBuilder(o).editSpec().addToHard("pods", new Quantity("20")).endSpec().build(),
                        o -> qty(o.getSpec().getHard().get("pods")))
                .withStatus(o -> new ResourceQuotaBuilder(o).editOrNewStatus().addToHard("pods", new Quantity("10"))
                                .addToUsed("pods", new Quantity("1")).endStatus().build(),
                        o -> qty(o.getStatus().getUsed().get("pods")));
    }

    private static KindCase<PersistentVolumeClaim> pvc() {
        // An unbound claim's spec is immutable, so the legal change is to metadata.
        return KindCase.of("", "PersistentVolumeClaim", PersistentVolumeClaim.class, true,
                        n -> new PersistentVolumeClaimBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withAccessModes("ReadWriteOnce").withNewResources()
                                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build(),
                        o -> new PersistentVolumeClaimBuilder(o).editMetadata().addToAnnotations("note", "changed")
                                .endMetadata().build(),
                        o -> o.getMetadata().getAnnotations().get("note"))
                .withStatus(o -> new PersistentVolumeClaimBuilder(o).editOrNewStatus().withPhase("Lost").endStatus()
                                .build(),
                        o -> o.getStatus().getPhase());
    }

    private static KindCase<Deployment> deployment() {
        return KindCase.of("apps", "Deployment", Deployment.class, true,
                        n -> new DeploymentBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withReplicas(1).withNewSelector().addToMatchLabels("app", n).endSelector()
                                .withTemplate(template(n, "nginx:1.27", null)).endSpec().build(),
                        o -> new DeploymentBuilder(o).editSpec().editTemplate().editSpec().editFirstContainer()
                                .withImage("nginx:1.28").endContainer().endSpec().endTemplate().endSpec().build(),
                        o -> o.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .trackingGeneration()
                .withStatus(o -> new DeploymentBuilder(o).editOrNewStatus().withReplicas(1).withUpdatedReplicas(1)
                                .withObservedGeneration(1L).endStatus().build(),
                        o -> o.getStatus().getReplicas());
    }

    private static KindCase<ReplicaSet> replicaSet() {
        return KindCase.of("apps", "ReplicaSet", ReplicaSet.class, true,
                        n -> new ReplicaSetBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withReplicas(1).withNewSelector().addToMatchLabels("app", n).endSelector()
                                .withTemplate(template(n, "nginx:1.27", null)).endSpec().build(),
                        o -> new ReplicaSetBuilder(o).editSpec().editTemplate().editSpec().editFirstContainer()
                                .withImage("nginx:1.28").endContainer().endSpec().endTemplate().endSpec().build(),
                        o -> o.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .trackingGeneration()
                .withStatus(o -> new ReplicaSetBuilder(o).editOrNewStatus().withReplicas(1).withFullyLabeledReplicas(1)
                                .withObservedGeneration(1L).endStatus().build(),
                        o -> o.getStatus().getReplicas());
    }

    private static KindCase<StatefulSet> statefulSet() {
        return KindCase.of("apps", "StatefulSet", StatefulSet.class, true,
                        n -> new StatefulSetBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withServiceName(n).withReplicas(1).withNewSelector().addToMatchLabels("app", n)
                                .endSelector().withTemplate(template(n, "nginx:1.27", null)).endSpec().build(),
                        o -> new StatefulSetBuilder(o).editSpec().editTemplate().editSpec().editFirstContainer()
                                .withImage("nginx:1.28").endContainer().endSpec().endTemplate().endSpec().build(),
                        o -> o.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .trackingGeneration()
                .withStatus(o -> new StatefulSetBuilder(o).editOrNewStatus().withReplicas(1).withCurrentReplicas(1)
                                .withObservedGeneration(1L).endStatus().build(),
                        o -> o.getStatus().getReplicas());
    }

    private static KindCase<DaemonSet> daemonSet() {
        return KindCase.of("apps", "DaemonSet", DaemonSet.class, true,
                        n -> new DaemonSetBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withNewSelector().addToMatchLabels("app", n).endSelector()
                                .withTemplate(template(n, "nginx:1.27", null)).endSpec().build(),
                        o -> new DaemonSetBuilder(o).editSpec().editTemplate().editSpec().editFirstContainer()
                                .withImage("nginx:1.28").endContainer().endSpec().endTemplate().endSpec().build(),
                        o -> o.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .trackingGeneration()
                .withStatus(o -> new DaemonSetBuilder(o).editOrNewStatus().withDesiredNumberScheduled(1)
                                .withCurrentNumberScheduled(1).withNumberMisscheduled(0).withNumberReady(0)
                                .withObservedGeneration(1L).endStatus().build(),
                        o -> o.getStatus().getDesiredNumberScheduled());
    }

    private static KindCase<Job> job() {
        // A Job's pod template is immutable; parallelism is not.
        return KindCase.of("batch", "Job", Job.class, true,
                        n -> new JobBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withParallelism(1).withTemplate(template(n, "busybox:1.36", "Never")).endSpec().build(),
                        o -> new JobBuilder(o).editSpec().withParallelism(2).endSpec().build(),
                        o -> o.getSpec().getParallelism())
                .trackingGeneration()
                .withStatus(o -> new JobBuilder(o).editOrNewStatus().withStartTime(now()).withActive(1).endStatus()
                                .build(),
                        o -> o.getStatus().getActive());
    }

    private static KindCase<CronJob> cronJob() {
        return KindCase.of("batch", "CronJob", CronJob.class, true,
                        n -> new CronJobBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                                .withSchedule("*/5 * * * *").withNewJobTemplate().withNewSpec()
                                .withTemplate(template(n, "busybox:1.36", "OnFailure")).endSpec().endJobTemplate()
                                .endSpec().build(),
                        o -> new CronJobBuilder(o).editSpec().withSchedule("*/10 * * * *").endSpec().build(),
                        o -> o.getSpec().getSchedule())
                .trackingGeneration()
                .withStatus(o -> new CronJobBuilder(o).editOrNewStatus().withLastScheduleTime("2025-01-01T00:00:00Z")
                                .endStatus().build(),
                        o -> o.getStatus().getLastScheduleTime());
    }

    private static KindCase<Lease> lease() {
        return KindCase.of("coordination.k8s.io", "Lease", Lease.class, true,
                n -> new LeaseBuilder().withNewMetadata().withName(n).endMetadata().withNewSpec()
                        .withHolderIdentity("a").withLeaseDurationSeconds(15).endSpec().build(),
                o -> new LeaseBuilder(o).editSpec().withHolderIdentity("b").endSpec().build(),
                o -> o.getSpec().getHolderIdentity());
    }

    private static KindCase<Role> role() {
        return KindCase.of(RBAC, "Role", Role.class, true,
                n -> new RoleBuilder().withNewMetadata().withName(n).endMetadata().addNewRule().withApiGroups("")
                        .withResources("pods").withVerbs("get").endRule().build(),
                o -> new RoleBuilder(o).editFirstRule().withVerbs("get", "list").endRule().build(),
                o -> o.getRules().getFirst().getVerbs());
    }

    private static KindCase<ClusterRole> clusterRole() {
        return KindCase.of(RBAC, "ClusterRole", ClusterRole.class, false,
                n -> new ClusterRoleBuilder().withNewMetadata().withName(n).endMetadata().addNewRule()
                        .withApiGroups("").withResources("pods").withVerbs("get").endRule().build(),
                o -> new ClusterRoleBuilder(o).editFirstRule().withVerbs("get", "list").endRule().build(),
                o -> o.getRules().getFirst().getVerbs());
    }

    private static KindCase<RoleBinding> roleBinding() {
        return KindCase.of(RBAC, "RoleBinding", RoleBinding.class, true,
                n -> new RoleBindingBuilder().withNewMetadata().withName(n).endMetadata().withNewRoleRef()
                        .withApiGroup(RBAC).withKind("ClusterRole").withName("view").endRoleRef()
                        .addNewSubject().withApiGroup(RBAC).withKind("User").withName("alice").endSubject().build(),
                o -> new RoleBindingBuilder(o).addNewSubject().withApiGroup(RBAC).withKind("User").withName("bob")
                        .endSubject().build(),
                o -> o.getSubjects().stream().map(Subject::getName).toList());
    }

    private static KindCase<ClusterRoleBinding> clusterRoleBinding() {
        return KindCase.of(RBAC, "ClusterRoleBinding", ClusterRoleBinding.class, false,
                n -> new ClusterRoleBindingBuilder().withNewMetadata().withName(n).endMetadata().withNewRoleRef()
                        .withApiGroup(RBAC).withKind("ClusterRole").withName("view").endRoleRef()
                        .addNewSubject().withApiGroup(RBAC).withKind("User").withName("alice").endSubject().build(),
                o -> new ClusterRoleBindingBuilder(o).addNewSubject().withApiGroup(RBAC).withKind("User")
                        .withName("bob").endSubject().build(),
                o -> o.getSubjects().stream().map(Subject::getName).toList());
    }

    private static KindCase<EndpointSlice> endpointSlice() {
        return KindCase.of("discovery.k8s.io", "EndpointSlice", EndpointSlice.class, true,
                n -> new EndpointSliceBuilder().withNewMetadata().withName(n).endMetadata().withAddressType("IPv4")
                        .addNewEndpoint().withAddresses("10.0.0.1").endEndpoint()
                        .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort().build(),
                o -> new EndpointSliceBuilder(o).editFirstEndpoint().withAddresses("10.0.0.2").endEndpoint().build(),
                o -> o.getEndpoints().getFirst().getAddresses());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
