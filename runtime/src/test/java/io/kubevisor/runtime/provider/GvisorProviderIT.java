package io.kubevisor.runtime.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubevisor.node.provider.ContainerLogs;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderEvents;
import io.kubevisor.runtime.net.Ipv4Cidr;
import io.kubevisor.runtime.sandbox.SandboxHandle;
import org.junit.jupiter.api.Test;

/**
 * The gVisor provider end to end: real runsc sandboxes on a real pod network, the busybox test
 * image pulled from a local registry, pods as the node agent hands them over. One provider (and
 * registry, runtime, network) serves the whole class; every test deletes its pods afterwards, also
 * when it fails, and the class checks that no sandbox, cgroup, mount or netns is left.
 */
class GvisorProviderIT extends ProviderItSupport {

    @Test
    void aRunningPodHasTheKubeletsStatusLogsExecAndStatsAndLeavesNothingBehind() throws Exception {
        Pod pod = pod("default", "hello", c -> { }, sh("main", "echo hi; sleep 3600"));
        PodRef ref = start(pod);

        PodStatus st = awaitStatus(ref, s -> "Running".equals(s.getPhase()) && allReady(s));
        ContainerStatus cs = st.getContainerStatuses().getFirst();
        assertThat(cs.getName()).isEqualTo("main");
        assertThat(cs.getReady()).isTrue();
        assertThat(cs.getStarted()).isTrue();
        assertThat(cs.getRestartCount()).isZero();
        assertThat(cs.getState().getRunning()).isNotNull();
        assertThat(cs.getState().getRunning().getStartedAt()).isNotBlank();
        assertThat(cs.getImage()).isEqualTo(image);
        assertThat(cs.getImageID()).startsWith(registry.host() + "/it/busybox@sha256:");
        assertThat(cs.getContainerID()).matches("runsc://[0-9a-f]{32}");
        assertThat(st.getPodIP()).satisfies(ip -> assertThat(Ipv4Cidr.parse(CIDR).contains(ip)).isTrue());
        assertThat(st.getPodIPs()).singleElement().satisfies(ip -> assertThat(ip.getIp()).isEqualTo(st.getPodIP()));
        assertThat(st.getHostIP()).isEqualTo("127.0.0.1");
        assertThat(st.getHostIPs()).singleElement().satisfies(ip -> assertThat(ip.getIp()).isEqualTo("127.0.0.1"));
        assertThat(st.getStartTime()).isNotBlank();
        assertThat(st.getQosClass()).isEqualTo("BestEffort");
        assertThat(conditions(st)).containsEntry("PodReadyToStartContainers", "True").containsEntry("Initialized", "True")
                .containsEntry("ContainersReady", "True").containsEntry("Ready", "True").hasSize(4);

        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(logs(ref, "main")).isEqualTo("hi\n"));
        assertThat(exec(ref, "main", "sh", "-c", "exit 3").rc()).isEqualTo(3);
        Exec out = exec(ref, "main", "sh", "-c", "echo to-out; echo to-err >&2; hostname");
        assertThat(out.rc()).isZero();
        assertThat(out.out()).isEqualTo("to-out\nhello\n");
        assertThat(out.err()).isEqualTo("to-err\n");
        assertThat(events).filteredOn(e -> e.pod().equals(ref)).extracting(ProviderEvents.PodEvent::reason)
                .contains("Created", "Started");
        assertThat(provider.runningPods()).containsExactly(ref);
        var node = provider.nodeInfo();
        assertThat(node.runtime()).startsWith("runsc://");
        assertThat(node.addresses()).containsEntry("InternalIP", "127.0.0.1").containsKey("Hostname");
        assertThat(node.capacity()).containsEntry("cpu", Integer.toString(Runtime.getRuntime().availableProcessors()))
                .containsEntry("pods", "110").containsKeys("memory", "ephemeral-storage");
        assertThat(node.allocatable()).isEqualTo(node.capacity());
        assertThat(provider.nodeInfo()).as("host figures are reused for a while, not read on every ask")
                .isSameAs(node);

        // stats: the sandbox's memory from its host cgroup, and the container's CPU.
        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(provider.usage())
                .filteredOn(u -> u.pod().equals(ref)).singleElement().satisfies(u -> {
                    assertThat(u.memoryWorkingSetBytes()).isPositive();
                    assertThat(u.cpuUsageCoreNanoSeconds()).isPositive();
                    assertThat(u.containers()).singleElement().satisfies(c -> {
                        assertThat(c.name()).isEqualTo("main");
                        assertThat(c.memoryWorkingSetBytes()).isPositive();
                    });
                }));

        String sandbox = sandboxOf(ref).id();
        String container = cs.getContainerID().substring("runsc://".length());
        long t0 = System.nanoTime();
        provider.deletePod(ref, Duration.ofSeconds(5));
        pods.remove(ref);
        System.out.println("timing delete ms=" + (System.nanoTime() - t0) / 1_000_000);
        assertThat(provider.podStatus(ref)).isEmpty();
        assertThat(provider.runningPods()).doesNotContain(ref);
        assertThat(runtime.sandboxes()).extracting(SandboxHandle::id).doesNotContain(sandbox);
        assertThat(runscList()).doesNotContain(sandbox, container);
        assertThat(cgroupsUnder(cgroupParent + "/" + sandbox)).isEmpty();
        assertThat(cgroupDirs(cgroupParent + "/" + sandbox)).isEmpty();
        assertThat(mountsUnder(work)).isEmpty();
        assertThat(ourNetns()).noneMatch(n -> n.contains(ref.uid()));
        assertThat(work.resolve("provider/pods").resolve(ref.uid())).doesNotExist();
        assertThat(work.resolve("provider/volumes").resolve(ref.uid())).doesNotExist();
    }

    @Test
    void initContainersRunInOrderBeforeTheContainers() throws Exception {
        Pod pod = pod("default", "init", b -> b.editSpec().withVolumes(emptyDir("shared"))
                        .withInitContainers(
                                mount(sh("first", "echo first >> /shared/order"), "shared", "/shared"),
                                mount(sh("second", "sleep 2; echo second >> /shared/order"), "shared", "/shared"))
                        .endSpec(),
                mount(sh("main", "echo main >> /shared/order; exec sleep 3600"), "shared", "/shared"));
        PodRef ref = start(pod);

        PodStatus initializing = awaitStatus(ref, s -> container(s, "second").getState().getRunning() != null);
        assertThat(initializing.getPhase()).isEqualTo("Pending");
        assertThat(conditions(initializing)).containsEntry("Initialized", "False").containsEntry("Ready", "False");
        assertThat(container(initializing, "first").getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(container(initializing, "main").getState().getWaiting().getReason()).isEqualTo("PodInitializing");

        PodStatus st = awaitStatus(ref, s -> "Running".equals(s.getPhase()) && allReady(s));
        assertThat(st.getInitContainerStatuses()).extracting(ContainerStatus::getName).containsExactly("first", "second");
        assertThat(st.getInitContainerStatuses()).allSatisfy(c -> {
            assertThat(c.getState().getTerminated().getReason()).isEqualTo("Completed");
            assertThat(c.getState().getTerminated().getExitCode()).isZero();
            assertThat(c.getReady()).isTrue();
            assertThat(c.getRestartCount()).isZero();
        });
        assertThat(conditions(st)).containsEntry("Initialized", "True").containsEntry("Ready", "True");
        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(exec(ref, "main", "cat", "/shared/order").out())
                .isEqualTo("first\nsecond\nmain\n"));
    }

    @Test
    void restartPolicyDecidesBetweenCrashLoopBackOffSucceededAndFailed() throws Exception {
        List<PodRef> refs = start(List.of(
                pod("default", "crash", b -> { }, sh("main", "echo crashing; exit 1")),
                pod("default", "done", b -> b.editSpec().withRestartPolicy("Never").endSpec(),
                        sh("main", "printf 'all done' > /dev/termination-log; exit 0")),
                pod("default", "fails", b -> b.editSpec().withRestartPolicy("Never").endSpec(),
                        new ContainerBuilder(sh("main", "echo went wrong; exit 2"))
                                .withTerminationMessagePolicy("FallbackToLogsOnError").build()),
                pod("default", "init-fails", b -> b.editSpec().withRestartPolicy("Never")
                        .withInitContainers(sh("setup", "echo broken; exit 5")).endSpec(), sh("main", "exec sleep 3600")),
                pod("default", "init-loops", b -> b.editSpec()
                        .withInitContainers(sh("setup", "exit 5")).endSpec(), sh("main", "exec sleep 3600"))));
        PodRef crash = refs.get(0);
        PodRef done = refs.get(1);
        PodRef fails = refs.get(2);
        PodRef initFails = refs.get(3);
        PodRef initLoops = refs.get(4);

        PodStatus ok = awaitStatus(done, s -> "Succeeded".equals(s.getPhase()));
        var t = ok.getContainerStatuses().getFirst().getState().getTerminated();
        assertThat(t.getExitCode()).isZero();
        assertThat(t.getReason()).isEqualTo("Completed");
        assertThat(t.getMessage()).as("written to its terminationMessagePath").isEqualTo("all done");
        assertThat(t.getContainerID()).startsWith("runsc://");
        assertThat(ok.getContainerStatuses().getFirst().getReady()).isFalse();
        assertThat(conditions(ok)).containsEntry("Ready", "False").containsEntry("PodReadyToStartContainers", "False");

        PodStatus failed = awaitStatus(fails, s -> "Failed".equals(s.getPhase()));
        t = failed.getContainerStatuses().getFirst().getState().getTerminated();
        assertThat(t.getExitCode()).isEqualTo(2);
        assertThat(t.getReason()).isEqualTo("Error");
        assertThat(t.getMessage()).as("FallbackToLogsOnError: the log's tail").isEqualTo("went wrong\n");
        assertThat(failed.getContainerStatuses().getFirst().getRestartCount()).isZero();
        assertThat(conditions(failed)).containsEntry("Ready", "False").containsEntry("ContainersReady", "False");
        assertThat(logs(fails, "main")).isEqualTo("went wrong\n");

        // An init container that fails under Never fails the pod; its containers never start.
        PodStatus initFailed = awaitStatus(initFails, s -> "Failed".equals(s.getPhase()));
        t = container(initFailed, "setup").getState().getTerminated();
        assertThat(t.getExitCode()).isEqualTo(5);
        assertThat(t.getReason()).isEqualTo("Error");
        assertThat(t.getMessage()).as("policy File, nothing written").isNull();
        assertThat(container(initFailed, "setup").getReady()).isFalse();
        assertThat(container(initFailed, "main").getState().getWaiting().getReason()).isEqualTo("PodInitializing");
        assertThat(container(initFailed, "main").getContainerID()).isNull();
        assertThat(conditions(initFailed)).containsEntry("Initialized", "False");
        assertThat(logs(initFails, "setup")).isEqualTo("broken\n");
        // Under Always it is restarted with back-off, and the pod stays Pending.
        PodStatus initLooping = awaitStatus(initLoops, s -> container(s, "setup").getRestartCount() >= 1
                && container(s, "setup").getState().getWaiting() != null
                && "CrashLoopBackOff".equals(container(s, "setup").getState().getWaiting().getReason()));
        assertThat(initLooping.getPhase()).isEqualTo("Pending");
        assertThat(container(initLooping, "setup").getLastState().getTerminated().getExitCode()).isEqualTo(5);
        assertThat(container(initLooping, "main").getState().getWaiting().getReason()).isEqualTo("PodInitializing");
        assertThat(conditions(initLooping)).containsEntry("Initialized", "False");
        assertThat(changed).contains(done, fails, initFails, initLoops);

        PodStatus looping = awaitStatus(crash, s -> {
            ContainerStatus c = s.getContainerStatuses().getFirst();
            return c.getRestartCount() >= 1 && c.getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason());
        });
        ContainerStatus c = looping.getContainerStatuses().getFirst();
        assertThat(looping.getPhase()).isEqualTo("Running");
        assertThat(c.getReady()).isFalse();
        assertThat(c.getState().getWaiting().getMessage()).startsWith("back-off 10s restarting failed container=main");
        assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(c.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(conditions(looping)).containsEntry("ContainersReady", "False").containsEntry("Ready", "False");
        assertThat(events).filteredOn(e -> e.pod().equals(crash)).extracting(ProviderEvents.PodEvent::reason)
                .contains("BackOff");
        var prev = new ByteArrayOutputStream();
        provider.logs(crash, "main", new ContainerLogs.Options(false, true, -1, null, false, -1), prev);
        assertThat(prev.toString(StandardCharsets.UTF_8)).isEqualTo("crashing\n");
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        String hog = "echo start; x=$(busybox head -c 200000000 /dev/zero | busybox tr '\\0' a); echo survived";
        Container once = new ContainerBuilder(sh("hog", hog)).withNewResources().addToLimits("memory", q("32Mi"))
                .addToLimits("cpu", q("1")).endResources().build();
        // The second instance finds the marker on its emptyDir and stays.
        Container again = new ContainerBuilder(mount(sh("hog", "if [ -f /state/once ]; then echo calm; exec sleep 3600; fi; "
                + "touch /state/once; " + hog), "state", "/state"))
                .withNewResources().addToLimits("memory", q("32Mi")).endResources().build();
        List<PodRef> refs = start(List.of(
                pod("default", "oom", b -> b.editSpec().withRestartPolicy("Never").endSpec(), once),
                pod("default", "oom-again", b -> b.editSpec().withVolumes(emptyDir("state")).endSpec(), again)));

        PodStatus st = awaitStatus(refs.get(0), s -> "Failed".equals(s.getPhase()), Duration.ofSeconds(60));
        var t = st.getContainerStatuses().getFirst().getState().getTerminated();
        assertThat(t.getReason()).isEqualTo("OOMKilled");
        assertThat(t.getExitCode()).isEqualTo(137);
        assertThat(st.getQosClass()).isEqualTo("Guaranteed");
        assertThat(logs(refs.get(0), "hog")).isEqualTo("start\n");

        PodStatus back = awaitStatus(refs.get(1), s -> allReady(s)
                && s.getContainerStatuses().getFirst().getRestartCount() == 1, Duration.ofSeconds(60));
        ContainerStatus c = back.getContainerStatuses().getFirst();
        assertThat(back.getPhase()).isEqualTo("Running");
        assertThat(back.getQosClass()).isEqualTo("Burstable");
        assertThat(c.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        // A pod of one container has a single-container sandbox: as on Kubernetes, only the container restarts.
        assertThat(events).filteredOn(e -> e.pod().equals(refs.get(1))).extracting(ProviderEvents.PodEvent::reason)
                .doesNotContain("SandboxChanged");
        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(logs(refs.get(1), "hog")).isEqualTo("calm\n"));
        assertThat(exec(refs.get(1), "hog", "hostname").out()).isEqualTo("oom-again\n");
    }

    @Test
    void postStartRunsAfterStartAndAFailedOneKillsTheContainer() throws Exception {
        Container hooked = new ContainerBuilder(sh("main", "exec sleep 3600")).withNewLifecycle().withNewPostStart()
                .withNewExec().withCommand("sh", "-c", "echo from-hook > /tmp/hook").endExec().endPostStart()
                .endLifecycle().build();
        Container broken = new ContainerBuilder(sh("main", "exec sleep 3600")).withNewLifecycle().withNewPostStart()
                .withNewExec().withCommand("sh", "-c", "echo no good; exit 7").endExec().endPostStart()
                .endLifecycle().build();
        List<PodRef> refs = start(List.of(pod("default", "hooked", b -> { }, hooked),
                pod("default", "bad-hook", b -> b.editSpec().withRestartPolicy("Never")
                        .withTerminationGracePeriodSeconds(1L).endSpec(), broken)));

        awaitStatus(refs.get(0), s -> "Running".equals(s.getPhase()) && allReady(s));
        assertThat(exec(refs.get(0), "main", "cat", "/tmp/hook").out()).isEqualTo("from-hook\n");

        PodStatus failed = awaitStatus(refs.get(1), s -> "Failed".equals(s.getPhase()));
        assertThat(failed.getContainerStatuses().getFirst().getState().getTerminated().getExitCode())
                .as("killed after its hook failed").isIn(137, 143);
        assertThat(events).filteredOn(e -> e.pod().equals(refs.get(1)) && e.reason().equals("FailedPostStartHook"))
                .singleElement().satisfies(e -> assertThat(e.message()).contains("Exec lifecycle hook ([sh -c echo no "
                        + "good; exit 7]) for Container \"main\"").contains("no good"));
    }

    @Test
    void probesDecideReadinessAndLiveness() throws Exception {
        String web = "mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec busybox httpd -f -p 8080 -h /tmp/www";
        Container server = new ContainerBuilder(sh("web", web))
                .withNewReadinessProbe().withNewHttpGet().withPath("/index.html").withPort(port(8080)).endHttpGet()
                .withPeriodSeconds(1).endReadinessProbe()
                .withNewLivenessProbe().withNewTcpSocket().withPort(port(8080)).endTcpSocket().withPeriodSeconds(1)
                .endLivenessProbe().build();
        Container missing = new ContainerBuilder(sh("missing", "exec sleep 3600"))
                .withNewReadinessProbe().withNewHttpGet().withPath("/missing").withPort(port(8080)).endHttpGet()
                .withPeriodSeconds(1).endReadinessProbe().build();
        Container closed = new ContainerBuilder(sh("closed", "exec sleep 3600"))
                .withNewReadinessProbe().withNewTcpSocket().withPort(port(9999)).endTcpSocket()
                .withPeriodSeconds(1).endReadinessProbe().build();
        Container gated = new ContainerBuilder(sh("gated", "exec sleep 3600"))
                .withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/ready").endExec()
                .withPeriodSeconds(1).endReadinessProbe().build();
        String once = "if [ -f /state/once ]; then touch /tmp/alive; else touch /state/once; fi; exec sleep 3600";
        Container lively = new ContainerBuilder(mount(sh("lively", once), "state", "/state"))
                .withNewLivenessProbe().withNewExec().withCommand("cat", "/tmp/alive").endExec()
                .withPeriodSeconds(1).withFailureThreshold(1).endLivenessProbe().build();
        List<PodRef> refs = start(List.of(
                pod("default", "probed-http", b -> { }, server, missing, closed),
                pod("default", "probed-exec", b -> b.editSpec().withVolumes(emptyDir("state")).endSpec(),
                        gated, lively)));
        PodRef http = refs.get(0);
        PodRef execd = refs.get(1);

        PodStatus st = awaitStatus(http, s -> Boolean.TRUE.equals(container(s, "web").getReady()));
        assertThat(container(st, "missing").getReady()).isFalse();
        assertThat(container(st, "closed").getReady()).isFalse();
        assertThat(conditions(st)).containsEntry("ContainersReady", "False").containsEntry("Ready", "False");
        assertThat(st.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).isEqualTo("containers with unready status: [missing closed]"));
        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(events).filteredOn(e -> e.pod().equals(http)
                && e.reason().equals("Unhealthy")).extracting(ProviderEvents.PodEvent::message)
                .anyMatch(m -> m.equals("Readiness probe failed: HTTP probe failed with statuscode: 404"))
                .anyMatch(m -> m.startsWith("Readiness probe failed: dial tcp ") && m.endsWith(":9999: connect: connection refused")));
        assertThat(container(status(http), "web").getRestartCount()).isZero();

        // The exec readiness probe turns ready once the file exists.
        assertThat(container(status(execd), "gated").getReady()).isFalse();
        // The liveness probe kills the first instance of lively; the second one is healthy.
        PodStatus restarted = awaitStatus(execd, s -> container(s, "lively").getRestartCount() == 1
                && container(s, "lively").getState().getRunning() != null);
        assertThat(container(restarted, "lively").getLastState().getTerminated()).isNotNull();
        assertThat(container(restarted, "gated").getReady()).isFalse();
        assertThat(exec(execd, "gated", "touch", "/tmp/ready").rc()).isZero();
        awaitStatus(execd, s -> "True".equals(conditions(s).get("Ready")));
        changed.clear();
        assertThat(exec(execd, "gated", "rm", "/tmp/ready").rc()).isZero();
        awaitStatus(execd, s -> !Boolean.TRUE.equals(container(s, "gated").getReady())
                && "False".equals(conditions(s).get("Ready")));
        assertThat(changed).contains(execd);
        assertThat(events).filteredOn(e -> e.pod().equals(execd) && e.reason().equals("Killing"))
                .extracting(ProviderEvents.PodEvent::message)
                .contains("Container lively failed liveness probe, will be restarted");
        assertThat(events).filteredOn(e -> e.pod().equals(execd) && e.reason().equals("Unhealthy"))
                .extracting(ProviderEvents.PodEvent::message)
                .anyMatch(m -> m.startsWith("Liveness probe failed: "));
        Thread.sleep(3000);
        assertThat(container(status(execd), "lively").getRestartCount()).isEqualTo(1);
    }

    @Test
    void environmentVolumesUserAndPodFiles() throws Exception {
        resources.putConfigMap("envns", "cfg", Map.of("greeting", "hello", "color", "blue"));
        resources.putSecret("envns", "sec", Map.of("password", b64("s3cret")));
        Container main = new ContainerBuilder(sh("main",
                "echo \"cwd=$(pwd) uid=$(id -u) host=$(hostname)\"; echo $(GREETING)-$(PLAIN) '$$(PLAIN)'; exec sleep 3600"))
                .withWorkingDir("/data")
                .withNewSecurityContext().withRunAsUser(1000L).endSecurityContext()
                .withNewResources().addToLimits("memory", q("128Mi")).endResources()
                .addNewEnv().withName("PLAIN").withValue("value").endEnv()
                .addNewEnv().withName("EXPANDED").withValue("$(PLAIN)-x").endEnv()
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MEM_LIMIT").withNewValueFrom().withNewResourceFieldRef()
                .withResource("limits.memory").endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef().withName("cfg")
                .withKey("greeting").endConfigMapKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef().withName("sec")
                .withKey("password").endSecretKeyRef().endValueFrom().endEnv()
                .addNewEnvFrom().withPrefix("CM_").withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
                .addNewVolumeMount().withName("cfg").withMountPath("/etc/cfg").endVolumeMount()
                .addNewVolumeMount().withName("sec").withMountPath("/etc/sec").endVolumeMount()
                .addNewVolumeMount().withName("info").withMountPath("/etc/podinfo").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .build();
        Pod pod = pod("envns", "envpod", b -> b.editMetadata().addToLabels("app", "env").endMetadata().editSpec()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("cfg").endConfigMap().endVolume()
                .addNewVolume().withName("sec").withNewSecret().withSecretName("sec").endSecret().endVolume()
                .addNewVolume().withName("info").withNewDownwardAPI()
                .addNewItem().withPath("name").withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endItem()
                .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
                .addNewItem().withPath("mem").withNewResourceFieldRef().withContainerName("main")
                .withResource("limits.memory").withDivisor(q("1Mi")).endResourceFieldRef().endItem()
                .endDownwardAPI().endVolume()
                .addToVolumes(emptyDir("data"))
                .endSpec(), main);
        PodRef ref = start(pod);
        PodStatus st = awaitStatus(ref, s -> "Running".equals(s.getPhase()) && allReady(s));
        String ip = st.getPodIP();
        assertThat(st.getQosClass()).isEqualTo("Burstable");

        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(logs(ref, "main"))
                .isEqualTo("cwd=/data uid=1000 host=envpod\nhello-value $(PLAIN)\n"));
        List<String> env = exec(ref, "main", "env").out().lines().toList();
        assertThat(env).contains("PLAIN=value", "EXPANDED=value-x", "POD_NAME=envpod", "POD_IP=" + ip,
                "MEM_LIMIT=134217728", "GREETING=hello", "PASSWORD=s3cret", "CM_greeting=hello", "CM_color=blue",
                "HOSTNAME=envpod", "PATH=/bin");
        assertThat(exec(ref, "main", "id", "-u").out()).isEqualTo("1000\n");
        assertThat(exec(ref, "main", "cat", "/etc/cfg/greeting", "/etc/cfg/color").out()).isEqualTo("helloblue");
        assertThat(exec(ref, "main", "cat", "/etc/sec/password").out()).isEqualTo("s3cret");
        assertThat(exec(ref, "main", "cat", "/etc/podinfo/name").out()).isEqualTo("envpod");
        assertThat(exec(ref, "main", "cat", "/etc/podinfo/labels").out()).isEqualTo("app=\"env\"");
        assertThat(exec(ref, "main", "cat", "/etc/podinfo/mem").out()).isEqualTo("128");
        assertThat(exec(ref, "main", "sh", "-c", "echo w > /data/f && cat /data/f").out()).isEqualTo("w\n");
        assertThat(exec(ref, "main", "sh", "-c", "echo x > /etc/cfg/new").rc()).isNotZero();
        assertThat(exec(ref, "main", "cat", "/etc/hosts").out()).contains(ip + "\tenvpod\n");
        assertThat(exec(ref, "main", "cat", "/etc/resolv.conf").out())
                .contains("search envns.svc.cluster.local svc.cluster.local cluster.local\n")
                .contains("nameserver 10.96.0.10\n").contains("options ndots:5\n");
    }

    @Test
    void podsReachPodsOfTheirNamespaceOnly() {
        String web = "mkdir -p /tmp/www && echo from-a1 > /tmp/www/index.html && exec busybox httpd -f -p 8080 -h /tmp/www";
        List<PodRef> refs = start(List.of(pod("net-a", "a1", b -> { }, sh("main", web)),
                pod("net-a", "a2", b -> { }, sh("main", "exec sleep 3600")),
                pod("net-b", "b1", b -> { }, sh("main", "exec sleep 3600"))));
        String a1 = awaitStatus(refs.get(0), s -> allReady(s) && s.getPodIP() != null).getPodIP();
        String a2 = awaitStatus(refs.get(1), s -> allReady(s) && s.getPodIP() != null).getPodIP();
        String b1 = awaitStatus(refs.get(2), s -> allReady(s) && s.getPodIP() != null).getPodIP();
        assertThat(List.of(a1, a2, b1)).doesNotHaveDuplicates();
        String get = "busybox timeout 3 busybox wget -q -O - http://" + a1 + ":8080/index.html";
        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(exec(refs.get(1), "main", "sh", "-c", get).out())
                .isEqualTo("from-a1\n"));
        assertThat(exec(refs.get(0), "main", "sh", "-c",
                "busybox timeout 3 busybox nc -z " + a2 + " 1 || echo refused").out()).isEqualTo("refused\n");
        Exec fromB = exec(refs.get(2), "main", "sh", "-c", get);
        assertThat(fromB.rc()).isNotZero();
        assertThat(fromB.out()).isEmpty();

        // kubectl port-forward: a connection to the pod's port through the sandbox.
        var response = new ByteArrayOutputStream();
        provider.forward(refs.get(0), 8080, new java.io.ByteArrayInputStream(
                "GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), response);
        assertThat(response.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.").contains(" 200 ")
                .endsWith("\r\n\r\nfrom-a1\n");
    }

    @Test
    void aMissingImageWaitsInImagePullBackOff() {
        Container c = new ContainerBuilder(sh("main", "exec sleep 3600")).withImage(registry.host() + "/it/missing:1")
                .build();
        PodRef ref = start(pod("default", "no-image", b -> { }, c));
        PodStatus st = awaitStatus(ref, s -> s.getContainerStatuses().getFirst().getState().getWaiting() != null
                && "ImagePullBackOff".equals(s.getContainerStatuses().getFirst().getState().getWaiting().getReason()));
        assertThat(st.getPhase()).isEqualTo("Pending");
        assertThat(st.getContainerStatuses().getFirst().getState().getWaiting().getMessage())
                .startsWith("Back-off pulling image \"" + registry.host() + "/it/missing:1\"");
        assertThat(conditions(st)).containsEntry("PodReadyToStartContainers", "True").containsEntry("Ready", "False");
        assertThat(events).filteredOn(e -> e.pod().equals(ref)).extracting(ProviderEvents.PodEvent::message)
                .contains("Error: ErrImagePull", "Error: ImagePullBackOff")
                .anyMatch(m -> m.startsWith("Failed to pull image \"" + registry.host() + "/it/missing:1\": "));
    }

    @Test
    void aRestartedProviderAdoptsItsPodsAndRemovesSandboxesWithoutPods() throws Exception {
        List<PodRef> refs = start(List.of(pod("default", "kept", b -> { }, sh("main", "echo started; exec sleep 3600")),
                pod("default", "orphan", b -> b.editSpec().addNewVolume().withName("mem").withNewEmptyDir()
                        .withMedium("Memory").endEmptyDir().endVolume().endSpec(),
                        mount(sh("main", "echo orphaned > /mem/f; exec sleep 3600"), "mem", "/mem")),
                pod("default", "ends-never", b -> b.editSpec().withRestartPolicy("Never").withVolumes(emptyDir("ctl"))
                        .endSpec(), mount(sh("main", ENDS_ON_SIGNAL), "ctl", "/ctl")),
                pod("default", "ends-always", b -> b.editSpec().withVolumes(emptyDir("ctl")).endSpec(),
                        mount(sh("main", ENDS_ON_SIGNAL), "ctl", "/ctl"))));
        PodRef kept = refs.get(0);
        PodRef orphan = refs.get(1);
        PodRef endsNever = refs.get(2);
        PodRef endsAlways = refs.get(3);
        PodStatus before = awaitStatus(kept, s -> allReady(s) && "Running".equals(s.getPhase()));
        awaitStatus(orphan, s -> allReady(s) && "Running".equals(s.getPhase()));
        List<String> ending = new ArrayList<>();
        for (PodRef r : List.of(endsNever, endsAlways)) {
            PodStatus s = awaitStatus(r, x -> allReady(x) && "Running".equals(x.getPhase()));
            ending.add(s.getContainerStatuses().getFirst().getContainerID().substring("runsc://".length()));
        }
        String orphanSandbox = sandboxOf(orphan).id();
        assertThat(mountsUnder(work.resolve("provider/volumes").resolve(orphan.uid()))).hasSize(1);
        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(
                work.resolve("provider/volumes").resolve(orphan.uid()).resolve("mem/f")).hasContent("orphaned"));
        assertThat(exec(kept, "main", "touch", "/tmp/marker").rc()).isZero();

        closeProvider();
        AtomicWriter.deleteTree(work.resolve("provider/pods").resolve(orphan.uid()));
        // Two containers end while no provider runs.
        for (PodRef r : List.of(endsNever, endsAlways)) {
            Files.writeString(work.resolve("provider/volumes").resolve(r.uid()).resolve("ctl/go"), "");
        }
        // A single-container sandbox's run removes its container from runsc once it ended.
        await().atMost(STATUS_WAIT).until(() -> ending.stream().allMatch(id -> runscState(id).contains("\"stopped\"")
                || runscState(id).contains("does not exist")));
        long t0 = System.nanoTime();
        openProvider();
        System.out.println("timing adoption ms=" + (System.nanoTime() - t0) / 1_000_000);

        assertThat(provider.runningPods()).containsExactlyInAnyOrder(kept, endsNever, endsAlways);
        PodStatus after = awaitStatus(kept, s -> allReady(s) && "Running".equals(s.getPhase()));
        ContainerStatus b = before.getContainerStatuses().getFirst();
        ContainerStatus a = after.getContainerStatuses().getFirst();
        assertThat(a.getContainerID()).isEqualTo(b.getContainerID());
        assertThat(a.getRestartCount()).isZero();
        assertThat(a.getState().getRunning().getStartedAt()).isEqualTo(b.getState().getRunning().getStartedAt());
        assertThat(after.getPodIP()).isEqualTo(before.getPodIP());
        assertThat(after.getStartTime()).isEqualTo(before.getStartTime());
        assertThat(conditions(after)).isEqualTo(conditions(before));
        assertThat(exec(kept, "main", "cat", "/tmp/marker").rc()).isZero();
        assertThat(logs(kept, "main")).isEqualTo("started\n");
        Thread.sleep(1500);
        assertThat(status(kept).getContainerStatuses().getFirst().getRestartCount()).isZero();

        assertThat(runtime.sandboxes()).extracting(SandboxHandle::id).doesNotContain(orphanSandbox);
        assertThat(runscList()).doesNotContain(orphanSandbox);
        assertThat(cgroupDirs(cgroupParent + "/" + orphanSandbox)).isEmpty();
        assertThat(ourNetns()).noneMatch(n -> n.contains(orphan.uid()));
        assertThat(work.resolve("provider/volumes").resolve(orphan.uid())).doesNotExist();
        assertThat(mountsUnder(work.resolve("provider/volumes"))).isEmpty();
        try (var logDirs = Files.list(work.resolve("provider/logs"))) {
            assertThat(logDirs.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(orphan.uid()))
                    .anyMatch(n -> n.endsWith(kept.uid()));
        }
        assertThat(provider.podStatus(orphan)).isEmpty();

        // Their exits were learnt on adoption: one pod failed, the other restarted its container.
        PodStatus failed = awaitStatus(endsNever, s -> "Failed".equals(s.getPhase()));
        var t = failed.getContainerStatuses().getFirst().getState().getTerminated();
        assertThat(t.getExitCode()).isEqualTo(3);
        assertThat(t.getReason()).isEqualTo("Error");
        assertThat(t.getContainerID()).isEqualTo("runsc://" + ending.get(0));
        PodStatus restarted = awaitStatus(endsAlways, s -> allReady(s)
                && s.getContainerStatuses().getFirst().getRestartCount() == 1);
        ContainerStatus r = restarted.getContainerStatuses().getFirst();
        assertThat(r.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(r.getLastState().getTerminated().getContainerID()).isEqualTo("runsc://" + ending.get(1));
        assertThat(r.getContainerID()).isNotEqualTo("runsc://" + ending.get(1));
        await().atMost(STATUS_WAIT).untilAsserted(() -> assertThat(logs(endsAlways, "main")).isEqualTo("again\n"));
    }
}
