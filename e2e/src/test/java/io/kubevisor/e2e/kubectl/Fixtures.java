package io.kubevisor.e2e.kubectl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;

import io.kubevisor.api.Json;

/** Manifests and parsed output for the kubectl tests. */
final class Fixtures {

    /** The kubectl versions every test runs with: the oldest and the newest on the machine. */
    static final String OLDEST = "1.27";
    static final String NEWEST = "1.33";

    private Fixtures() {
    }

    /** Writes {@code content} to {@code dir/name} and returns the path, as a user saves a manifest. */
    static Path file(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(name);
            Files.writeString(f, content);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource under {@code /kubectl/}. */
    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/kubectl/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /kubectl/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses kubectl's {@code -o json} output. */
    static JsonNode json(String text) {
        return Json.parse(text);
    }

    /** A name unique per kubectl version, so that both versions can run the same test on one cluster. */
    static String unique(String base, String version) {
        return base + "-" + version.replace(".", "");
    }

    /**
     * {@code kubectl run} arguments for a pod the cluster's scheduler leaves alone (a scheduler
     * name nobody serves): tests of watch rows and describe output then see only their own
     * changes, not the scheduler's PodScheduled=False status and FailedScheduling events, which a
     * cluster without nodes writes for every pod.
     */
    static String[] unscheduled(String... runArgs) {
        String[] out = java.util.Arrays.copyOf(runArgs, runArgs.length + 1);
        out[runArgs.length] = "--overrides={\"apiVersion\":\"v1\",\"spec\":{\"schedulerName\":\"e2e-unscheduled\"}}";
        return out;
    }
}
