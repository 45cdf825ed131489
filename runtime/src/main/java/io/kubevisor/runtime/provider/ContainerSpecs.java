package io.kubevisor.runtime.provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubevisor.runtime.image.ResolvedImage;
import io.kubevisor.runtime.sandbox.ContainerSpec;
import io.kubevisor.runtime.sandbox.Resources;

/**
 * A container instance's runtime spec as the kubelet and containerd make it: the command line from
 * the image's entrypoint/cmd and the container's command/args ({@code $(VAR)}-expanded), the
 * image's environment overridden by the container's, the working directory, the user, the
 * volume mounts, stdin/tty and the log file of this instance. Stateless.
 */
final class ContainerSpecs {

    /** Labels the provider puts on container instances (the CRI's keys). */
    static final String LABEL_NAME = "io.kubernetes.container.name";
    static final String LABEL_RESTARTS = "io.kubernetes.container.restartCount";

    private final EnvResolver env;
    private final PodVolumes volumes;

    ContainerSpecs(EnvResolver env, PodVolumes volumes) {
        this.env = env;
        this.volumes = volumes;
    }

    /**
     * @throws ContainerConfigException when the environment or a mount cannot be made, or there is
     *                                  no command to run
     */
    ContainerSpec build(String id, Pod pod, Container c, ResolvedImage image, FieldRefs.Context ctx, Path logFile,
                        int restartCount, Consumer<List<String>> invalidEnvKeys) {
        LinkedHashMap<String, String> vars = env.resolve(pod, c, ctx, invalidEnvKeys);
        List<String> command = expand(c.getCommand(), vars);
        List<String> args = expand(c.getArgs(), vars);
        List<String> line = image.config().commandLine(command, args);
        if (line.isEmpty()) {
            throw new ContainerConfigException("failed to create containerd container: no command specified");
        }
        Map<String, String> all = new LinkedHashMap<>();
        for (String e : image.config().env()) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                all.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        all.put("HOSTNAME", PodSpecs.hostname(pod));
        all.putAll(vars);
        List<String> envList = new ArrayList<>();
        all.forEach((k, v) -> envList.add(k + "=" + v));
        String workingDir = c.getWorkingDir() != null && !c.getWorkingDir().isEmpty() ? c.getWorkingDir()
                : image.config().workingDir();
        long[] user = PodSpecs.user(pod, c, image.config(), image.rootfs());
        return new ContainerSpec(id, image.rootfs(), line, envList, workingDir == null || workingDir.isEmpty()
                ? null : workingDir, user[0], user[1], volumes.mounts(pod, c), Resources.none(),
                Boolean.TRUE.equals(c.getTty()), Boolean.TRUE.equals(c.getStdin()), logFile,
                Map.of(LABEL_NAME, c.getName(), LABEL_RESTARTS, Integer.toString(restartCount)));
    }

    private static List<String> expand(List<String> in, Map<String, String> vars) {
        if (in == null) {
            return null;
        }
        return in.stream().map(s -> Expansion.expand(s, vars)).toList();
    }
}
