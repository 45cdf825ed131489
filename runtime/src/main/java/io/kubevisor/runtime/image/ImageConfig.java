package io.kubevisor.runtime.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The runtime part of an image's config ({@code config} in the OCI image config JSON).
 *
 * @param entrypoint   {@code Entrypoint}, empty when unset
 * @param cmd          {@code Cmd}, empty when unset
 * @param env          {@code Env} as {@code NAME=value}, in order
 * @param workingDir   {@code WorkingDir}, or empty for "/"
 * @param user         {@code User} ({@code uid}, {@code uid:gid}, {@code name} or {@code name:group}), or empty
 * @param exposedPorts {@code ExposedPorts} keys, e.g. {@code 8080/tcp}
 * @param labels       {@code Labels}
 * @param stopSignal   {@code StopSignal}, or empty
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                          String user, List<String> exposedPorts, Map<String, String> labels, String stopSignal) {

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        exposedPorts = List.copyOf(exposedPorts);
        labels = Map.copyOf(labels);
    }

    /**
     * The command line a container runs, resolved as Kubernetes does: {@code command} replaces
     * the entrypoint (and drops the image's Cmd), {@code args} replaces Cmd.
     *
     * @param command the container's {@code command}, or null/empty
     * @param args    the container's {@code args}, or null/empty
     */
    public List<String> commandLine(List<String> command, List<String> args) {
        boolean hasCommand = command != null && !command.isEmpty();
        boolean hasArgs = args != null && !args.isEmpty();
        List<String> out = new ArrayList<>(hasCommand ? command : entrypoint);
        if (hasArgs) {
            out.addAll(args);
        } else if (!hasCommand) {
            out.addAll(cmd);
        }
        return List.copyOf(out);
    }

    /** Reads the {@code config} object of an image config document (null-safe). */
    static ImageConfig fromImageConfigJson(JsonNode document) {
        JsonNode c = document.path("config");
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = c.get("Labels");
        if (l != null && l.isObject()) {
            l.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        }
        List<String> ports = new ArrayList<>();
        JsonNode p = c.get("ExposedPorts");
        if (p != null && p.isObject()) {
            ports.addAll(p.propertyNames());
        }
        return new ImageConfig(strings(c.get("Entrypoint")), strings(c.get("Cmd")), strings(c.get("Env")),
                string(c.get("WorkingDir")), string(c.get("User")), ports, labels, string(c.get("StopSignal")));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(v -> out.add(v.asString()));
        }
        return out;
    }

    private static String string(JsonNode n) {
        return n == null || n.isNull() ? "" : n.asString();
    }
}
