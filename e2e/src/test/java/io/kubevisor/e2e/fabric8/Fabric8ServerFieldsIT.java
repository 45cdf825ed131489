package io.kubevisor.e2e.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authorization.v1.LocalSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;

/** What the server fills in: defaults, allocated cluster IPs, generated names, scale, reviews. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Fabric8ServerFieldsIT {

    static final String NS = "fields";

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        client = Fabric8.client(cluster);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    @AfterAll
    static void down() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void podDefaults() {
        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("defaults")
                .endMetadata().withNewSpec().addNewContainer().withName("tagged").withImage("nginx:1.27").endContainer()
                .addNewContainer().withName("latest").withImage("nginx").endContainer().endSpec().build()).create();
        PodSpec spec = pod.getSpec();
        assertThat(spec.getRestartPolicy()).isEqualTo("Always");
        assertThat(spec.getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(spec.getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(spec.getEnableServiceLinks()).isTrue();
        Container tagged = spec.getContainers().get(0);
        assertThat(tagged.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(tagged.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(tagged.getTerminationMessagePolicy()).isEqualTo("File");
        assertThat(spec.getContainers().get(1).getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getQosClass()).isEqualTo("BestEffort");
    }

    @Test
    void workloadDefaults() {
        Deployment d = client.apps().deployments().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.apps
                .DeploymentBuilder().withNewMetadata().withName("defaults").endMetadata().withNewSpec().withNewSelector()
                .addToMatchLabels("app", "d").endSelector()
                .withTemplate(BuiltinKindCases.template("d", "nginx:1.27", null)).endSpec().build()).create();
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString("25%"));
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString("25%"));
        assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        assertThat(d.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");

        StatefulSet s = client.apps().statefulSets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model
                .apps.StatefulSetBuilder().withNewMetadata().withName("defaults").endMetadata().withNewSpec()
                .withServiceName("defaults").withNewSelector().addToMatchLabels("app", "s").endSelector()
                .withTemplate(BuiltinKindCases.template("s", "nginx:1.27", null)).endSpec().build()).create();
        assertThat(s.getSpec().getReplicas()).isEqualTo(1);
        assertThat(s.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        assertThat(s.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isEqualTo(0);
        assertThat(s.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");

        DaemonSet ds = client.apps().daemonSets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.apps
                .DaemonSetBuilder().withNewMetadata().withName("defaults").endMetadata().withNewSpec().withNewSelector()
                .addToMatchLabels("app", "ds").endSelector()
                .withTemplate(BuiltinKindCases.template("ds", "nginx:1.27", null)).endSpec().build()).create();
        assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString(0));
        assertThat(ds.getSpec().getRevisionHistoryLimit()).isEqualTo(10);

        Job job = client.batch().v1().jobs().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.batch.v1
                .JobBuilder().withNewMetadata().withName("defaults").endMetadata().withNewSpec()
                .withTemplate(BuiltinKindCases.template("j", "busybox:1.36", "Never")).endSpec().build()).create();
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(6);
        assertThat(job.getSpec().getCompletions()).isEqualTo(1);
        assertThat(job.getSpec().getParallelism()).isEqualTo(1);
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("NonIndexed");
        assertThat(job.getSpec().getSuspend()).isFalse();
        assertThat(job.getSpec().getPodReplacementPolicy()).isEqualTo("TerminatingOrFailed");

        CronJob cj = client.batch().v1().cronjobs().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.batch
                .v1.CronJobBuilder().withNewMetadata().withName("defaults").endMetadata().withNewSpec()
                .withSchedule("0 * * * *").withNewJobTemplate().withNewSpec()
                .withTemplate(BuiltinKindCases.template("cj", "busybox:1.36", "OnFailure")).endSpec().endJobTemplate()
                .endSpec().build()).create();
        assertThat(cj.getSpec().getConcurrencyPolicy()).isEqualTo("Allow");
        assertThat(cj.getSpec().getSuspend()).isFalse();
        assertThat(cj.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        assertThat(cj.getSpec().getFailedJobsHistoryLimit()).isEqualTo(1);
    }

    @Test
    void jobGetsAGeneratedSelector() {
        Job job = client.batch().v1().jobs().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.batch.v1
                .JobBuilder().withNewMetadata().withName("selected").endMetadata().withNewSpec()
                .withTemplate(BuiltinKindCases.template("j", "busybox:1.36", "Never")).endSpec().build()).create();
        String uid = job.getMetadata().getUid();
        assertThat(job.getSpec().getManualSelector()).isNotEqualTo(Boolean.TRUE);
        assertThat(job.getSpec().getSelector()).isNotNull();
        assertThat(job.getSpec().getSelector().getMatchLabels()).containsEntry("batch.kubernetes.io/controller-uid", uid);
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("batch.kubernetes.io/controller-uid", uid).containsEntry("controller-uid", uid)
                .containsEntry("batch.kubernetes.io/job-name", "selected").containsEntry("job-name", "selected");
    }

    @Test
    void namespaceDefaults() {
        var ns = client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("nsdefaults")
                .endMetadata().build()).create();
        assertThat(ns.getMetadata().getLabels()).containsEntry("kubernetes.io/metadata.name", "nsdefaults");
        assertThat(ns.getSpec().getFinalizers()).containsExactly("kubernetes");
        assertThat(ns.getStatus().getPhase()).isEqualTo("Active");
    }

    @Test
    void serviceGetsAClusterIpFromTheServiceRange() throws Exception {
        Service a = createService("svc-a", null);
        Service b = createService("svc-b", null);
        for (Service s : List.of(a, b)) {
            assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
            assertThat(s.getSpec().getSessionAffinity()).isEqualTo("None");
            assertThat(s.getSpec().getIpFamilies()).containsExactly("IPv4");
            assertThat(s.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
            assertThat(s.getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
            assertThat(s.getSpec().getPorts().getFirst().getProtocol()).isEqualTo("TCP");
            assertThat(s.getSpec().getPorts().getFirst().getTargetPort()).isEqualTo(new IntOrString(80));
            assertThat(inServiceRange(s.getSpec().getClusterIP())).as(s.getSpec().getClusterIP()).isTrue();
            assertThat(s.getSpec().getClusterIPs()).containsExactly(s.getSpec().getClusterIP());
        }
        assertThat(a.getSpec().getClusterIP()).isNotEqualTo(b.getSpec().getClusterIP());

        // An update that leaves clusterIP out keeps the allocated address.
        Service body = new ServiceBuilder(a).editSpec().withClusterIP(null).withClusterIPs(List.of())
                .addToSelector("tier", "web").endSpec().build();
        Service updated = client.services().inNamespace(NS).resource(body).update();
        assertThat(updated.getSpec().getClusterIP()).isEqualTo(a.getSpec().getClusterIP());
    }

    @Test
    void serviceClusterIpRequestsAreCheckedAgainstTheRange() {
        Service chosen = createService("svc-chosen", "10.96.100.100");
        assertThat(chosen.getSpec().getClusterIP()).isEqualTo("10.96.100.100");
        assertThatThrownBy(() -> createService("svc-taken", "10.96.100.100"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains("already allocated");
                });
        assertThatThrownBy(() -> createService("svc-outside", "192.168.1.1"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c ->
                            assertThat(c.getField()).startsWith("spec.clusterIP"));
                });
        Service headless = createService("svc-headless", "None");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    }

    @Test
    void generateNameGivesEachObjectAFreshName() {
        ConfigMap template = new ConfigMapBuilder().withNewMetadata().withGenerateName("gen-").endMetadata()
                .addToData("k", "v").build();
        ConfigMap first = client.configMaps().inNamespace(NS).resource(template).create();
        ConfigMap second = client.configMaps().inNamespace(NS).resource(template).create();
        assertThat(first.getMetadata().getName()).matches("gen-[a-z0-9]{5}");
        assertThat(second.getMetadata().getName()).matches("gen-[a-z0-9]{5}");
        assertThat(first.getMetadata().getName()).isNotEqualTo(second.getMetadata().getName());
        assertThat(first.getMetadata().getGenerateName()).isEqualTo("gen-");
        assertThat(client.configMaps().inNamespace(NS).withName(first.getMetadata().getName()).get().getData())
                .containsEntry("k", "v");
    }

    static Stream<String> scalables() {
        return Stream.of("Deployment", "ReplicaSet", "StatefulSet");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalables")
    void scaleSubresource(String kind) {
        Resource<? extends HasMetadata> r = switch (kind) {
            case "Deployment" -> client.apps().deployments().inNamespace(NS).resource(new io.fabric8.kubernetes.api
                    .model.apps.DeploymentBuilder().withNewMetadata().withName("scaled").endMetadata().withNewSpec()
                    .withReplicas(1).withNewSelector().addToMatchLabels("app", "scaled").endSelector()
                    .withTemplate(BuiltinKindCases.template("scaled", "nginx:1.27", null)).endSpec().build());
            case "ReplicaSet" -> client.apps().replicaSets().inNamespace(NS).resource(new io.fabric8.kubernetes.api
                    .model.apps.ReplicaSetBuilder().withNewMetadata().withName("scaled").endMetadata().withNewSpec()
                    .withReplicas(1).withNewSelector().addToMatchLabels("app", "scaled").endSelector()
                    .withTemplate(BuiltinKindCases.template("scaled", "nginx:1.27", null)).endSpec().build());
            default -> client.apps().statefulSets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.apps
                    .StatefulSetBuilder().withNewMetadata().withName("scaled").endMetadata().withNewSpec()
                    .withServiceName("scaled").withReplicas(1).withNewSelector().addToMatchLabels("app", "scaled")
                    .endSelector().withTemplate(BuiltinKindCases.template("scaled", "nginx:1.27", null)).endSpec()
                    .build());
        };
        r.create();
        Scale before = r.scale();
        assertThat(before.getKind()).isEqualTo("Scale");
        assertThat(before.getApiVersion()).isEqualTo("autoscaling/v1");
        assertThat(before.getMetadata().getName()).isEqualTo("scaled");
        assertThat(before.getSpec().getReplicas()).isEqualTo(1);
        assertThat(before.getStatus().getSelector()).isEqualTo("app=scaled");

        HasMetadata scaled = r.scale(3);
        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(specReplicas(scaled)).isEqualTo(3);
        assertThat(specReplicas(r.get())).isEqualTo(3);
        assertThat(r.scale().getSpec().getReplicas()).isEqualTo(3);
        r.delete();
    }

    @Test
    void accessReviewsAnswerWithoutStoringAnything() {
        var self = client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes().withNamespace(NS).withVerb("delete").withResource("pods")
                .endResourceAttributes().endSpec().build());
        assertThat(self.getStatus().getAllowed()).isTrue();

        var rules = client.authorization().v1().selfSubjectRulesReview().create(new SelfSubjectRulesReviewBuilder()
                .withNewSpec().withNamespace(NS).endSpec().build());
        assertThat(rules.getStatus().getResourceRules()).anySatisfy(r -> {
            assertThat(r.getVerbs()).contains("*");
            assertThat(r.getResources()).contains("*");
        });

        var alice = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser("alice").withNewResourceAttributes().withNamespace(NS).withVerb("get")
                .withResource("secrets").endResourceAttributes().endSpec().build());
        assertThat(alice.getStatus().getAllowed()).isFalse();
        var admin = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser("root").withGroups("system:masters").withNewResourceAttributes()
                .withNamespace(NS).withVerb("get").withResource("secrets").endResourceAttributes().endSpec().build());
        assertThat(admin.getStatus().getAllowed()).isTrue();

        var local = client.authorization().v1().localSubjectAccessReview().inNamespace(NS)
                .create(new LocalSubjectAccessReviewBuilder().withNewMetadata().withNamespace(NS).endMetadata()
                        .withNewSpec().withUser("alice").withNewResourceAttributes().withNamespace(NS).withVerb("list")
                        .withResource("pods").endResourceAttributes().endSpec().build());
        assertThat(local.getStatus().getAllowed()).isFalse();
    }

    private Service createService(String name, String clusterIp) {
        return client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withClusterIP(clusterIp).addToSelector("app", name).addNewPort()
                .withPort(80).endPort().endSpec().build()).create();
    }

    private static Object specReplicas(HasMetadata o) {
        var map = client.getKubernetesSerialization().convertValue(o, java.util.Map.class);
        return ((java.util.Map<?, ?>) map.get("spec")).get("replicas");
    }

    private static boolean inServiceRange(String ip) throws Exception {
        byte[] a = InetAddress.getByName(ip).getAddress();
        // 10.96.0.0/12 = 10.96.0.0 .. 10.111.255.255
        return a.length == 4 && (a[0] & 0xff) == 10 && ((a[1] & 0xff) & 0xf0) == 96;
    }
}
