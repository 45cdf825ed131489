package io.kubevisor.runtime.provider;

import java.nio.file.Path;

import io.kubevisor.node.provider.PodRef;

/**
 * Where the provider keeps things, under its state directory:
 * <pre>
 * pods/&lt;uid&gt;/pod.json        the pod as last applied (fabric8 JSON)
 * pods/&lt;uid&gt;/state.json      what the provider knows beyond the runtime (restart counts, exits, back-offs)
 * volumes/&lt;uid&gt;/&lt;volume&gt;   the pod's volumes (emptyDir, configMap, secret, downwardAPI, projected)
 * logs/&lt;ns&gt;_&lt;name&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;restartCount&gt;.log   CRI logs, as the kubelet keeps them
 * </pre>
 */
record PodLayout(Path root) {

    Path pods() {
        return root.resolve("pods");
    }

    Path podDir(String uid) {
        return pods().resolve(uid);
    }

    Path podFile(String uid) {
        return podDir(uid).resolve("pod.json");
    }

    Path stateFile(String uid) {
        return podDir(uid).resolve("state.json");
    }

    Path volumes(String uid) {
        return root.resolve("volumes").resolve(uid);
    }

    Path volume(String uid, String name) {
        return volumes(uid).resolve(name);
    }

    Path logs(PodRef pod) {
        return root.resolve("logs").resolve(pod.namespace() + "_" + pod.name() + "_" + pod.uid());
    }

    Path log(PodRef pod, String container, int restartCount) {
        return logs(pod).resolve(container).resolve(restartCount + ".log");
    }
}
