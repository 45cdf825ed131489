package io.kubevisor.runtime.provider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.kubevisor.node.KubeTime;

/**
 * A pod's status as the kubelet reports it, from the provider's state: container statuses (state,
 * lastState, ready, started, restartCount, image, imageID, containerID), the phase by the
 * kubelet's rules, the conditions PodReadyToStartContainers, Initialized, ContainersReady and
 * Ready with their reasons and messages, podIP(s), startTime and qosClass. Stateless.
 */
final class StatusBuilder {

    private StatusBuilder() {
    }

    /** Holds the state's monitor while reading it. */
    static PodStatus build(PodState state, String hostIp) {
        synchronized (state) {
            Pod pod = state.pod;
            boolean hasInit = !FieldRefs.nz(pod.getSpec().getInitContainers()).isEmpty();
            List<ContainerStatus> init = new ArrayList<>();
            List<ContainerStatus> app = new ArrayList<>();
            for (ContainerSlot s : state.slots.values()) {
                ContainerStatus cs = container(state, s, hasInit);
                (s.init ? init : app).add(cs);
            }
            String phase = state.terminalPhase != null ? state.terminalPhase
                    : phase(pod, init, app);
            var b = new PodStatusBuilder()
                    .withPhase(phase)
                    .withConditions(conditions(state, pod, init, app, phase))
                    .withQosClass(PodSpecs.qosClass(pod))
                    .withInitContainerStatuses(init)
                    .withContainerStatuses(app);
            if (state.podIp != null) {
                b.withPodIP(state.podIp).withPodIPs(new PodIP(state.podIp));
            }
            if (hostIp != null) {
                b.withHostIP(hostIp).withHostIPs(new HostIP(hostIp));
            }
            if (state.startTime != null) {
                b.withStartTime(KubeTime.format(state.startTime));
            }
            if (state.reason != null) {
                b.withReason(state.reason);
            }
            if (state.message != null) {
                b.withMessage(state.message);
            }
            return b.build();
        }
    }

    private static ContainerStatus container(PodState state, ContainerSlot s, boolean hasInit) {
        var spec = state.spec(s);
        ContainerState current;
        ContainerState last = s.last == null ? new ContainerState() : terminated(s.last);
        if (s.running()) {
            current = new ContainerStateBuilder().withNewRunning().withStartedAt(time(s.startedAt)).endRunning()
                    .build();
        } else if (s.terminated != null) {
            if (s.waiting != null) {
                current = waiting(s.waiting);
                last = terminated(s.terminated);
            } else {
                current = terminated(s.terminated);
            }
        } else {
            current = waiting(s.waiting != null ? s.waiting
                    : new ContainerSlot.Waiting(hasInit ? "PodInitializing" : "ContainerCreating", null));
        }
        boolean ready = s.init ? s.succeeded() : s.running() && s.ready;
        var b = new ContainerStatusBuilder()
                .withName(s.name)
                .withState(current)
                .withLastState(last)
                .withReady(ready)
                .withRestartCount(s.restartCount)
                .withImage(s.imageName != null ? s.imageName : spec.getImage())
                .withImageID(s.imageId != null ? s.imageId : "")
                .withStarted(s.running() && s.started);
        if (s.instanceId != null && (s.running() || s.terminated != null)) {
            b.withContainerID("runsc://" + s.instanceId);
        }
        return b.build();
    }

    private static ContainerState waiting(ContainerSlot.Waiting w) {
        return new ContainerStateBuilder().withNewWaiting().withReason(w.reason()).withMessage(w.message())
                .endWaiting().build();
    }

    private static ContainerState terminated(PodRecord.Terminated t) {
        return new ContainerStateBuilder().withNewTerminated()
                .withExitCode(t.exitCode())
                .withReason(t.reason())
                .withMessage(t.message())
                .withStartedAt(time(t.startedAt()))
                .withFinishedAt(time(t.finishedAt()))
                .withContainerID(t.containerId() == null ? null : "runsc://" + t.containerId())
                .endTerminated().build();
    }

    private static String time(Instant t) {
        return t == null ? null : KubeTime.format(t);
    }

    /** The kubelet's getPhase: from the containers' states and the restart policy. */
    static String phase(Pod pod, List<ContainerStatus> init, List<ContainerStatus> app) {
        String policy = PodSpecs.restartPolicy(pod);
        int pendingInit = 0;
        int failedInit = 0;
        for (ContainerStatus s : init) {
            var st = s.getState();
            if (st.getRunning() != null) {
                pendingInit++;
            } else if (st.getTerminated() != null) {
                if (st.getTerminated().getExitCode() != 0) {
                    failedInit++;
                }
            } else if (st.getWaiting() != null) {
                var lt = s.getLastState() == null ? null : s.getLastState().getTerminated();
                if (lt != null) {
                    if (lt.getExitCode() != 0) {
                        failedInit++;
                    }
                } else {
                    pendingInit++;
                }
            } else {
                pendingInit++;
            }
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (ContainerStatus s : app) {
            var st = s.getState();
            if (st.getRunning() != null) {
                running++;
            } else if (st.getTerminated() != null) {
                stopped++;
                if (st.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (st.getWaiting() != null) {
                if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
                    stopped++;
                } else {
                    waiting++;
                }
            }
        }
        if (failedInit > 0 && policy.equals("Never")) {
            return "Failed";
        }
        if (pendingInit > 0 || waiting > 0) {
            return "Pending";
        }
        if (failedInit > 0) {
            // Init containers are being restarted: the pod is still initializing.
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if (policy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            if (policy.equals("Never")) {
                return "Failed";
            }
            return "Running";
        }
        return "Pending";
    }

    private static List<PodCondition> conditions(PodState state, Pod pod, List<ContainerStatus> init,
                                                 List<ContainerStatus> app, String phase) {
        List<PodCondition> out = new ArrayList<>();
        // A pod whose phase is final has no sandbox to start anything in, even in the moment
        // before its worker has removed it.
        boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
        out.add(condition("PodReadyToStartContainers", state.sandboxReady && state.terminalPhase == null && !finished
                ? "True" : "False", null, null));
        out.add(initialized(init, app, phase));
        PodCondition containersReady = containersReady(app, phase);
        out.add(containersReady);
        out.add(condition("Ready", containersReady.getStatus(), containersReady.getReason(),
                containersReady.getMessage()));
        return out;
    }

    private static PodCondition initialized(List<ContainerStatus> init, List<ContainerStatus> app, String phase) {
        if (phase.equals("Succeeded")) {
            return condition("Initialized", "True", "PodCompleted", null);
        }
        // The kubelet's HasAnyRegularContainerStarted: the current state only (a container waiting to
        // restart while init containers run again in a new sandbox does not count).
        boolean appStarted = app.stream().anyMatch(s -> s.getState().getRunning() != null
                || s.getState().getTerminated() != null);
        List<String> incomplete = new ArrayList<>();
        for (ContainerStatus s : init) {
            var t = s.getState().getTerminated();
            if (t == null || t.getExitCode() != 0) {
                incomplete.add(s.getName());
            }
        }
        if (incomplete.isEmpty() || appStarted) {
            return condition("Initialized", "True", null, null);
        }
        return condition("Initialized", "False", "ContainersNotInitialized",
                "containers with incomplete status: [" + String.join(" ", incomplete) + "]");
    }

    private static PodCondition containersReady(List<ContainerStatus> app, String phase) {
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return condition("ContainersReady", "False", phase.equals("Succeeded") ? "PodCompleted" : "PodFailed",
                    null);
        }
        List<String> unready = app.stream().filter(s -> !Boolean.TRUE.equals(s.getReady()))
                .map(ContainerStatus::getName).toList();
        if (unready.isEmpty()) {
            return condition("ContainersReady", "True", null, null);
        }
        return condition("ContainersReady", "False", "ContainersNotReady",
                "containers with unready status: [" + String.join(" ", unready) + "]");
    }

    private static PodCondition condition(String type, String status, String reason, String message) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .build();
    }
}
