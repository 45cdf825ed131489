package io.kubevisor.runtime.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubevisor.api.Json;

/**
 * Persists each pod's spec ({@code pod.json}) and record ({@code state.json}) under
 * {@code pods/<uid>/}, each replaced atomically, and reads them back for re-adoption.
 * Thread-safe (each pod's files are written by its own worker).
 */
final class PodStore {

    private static final Logger LOG = LoggerFactory.getLogger(PodStore.class);

    /** A pod found on disk. */
    record Stored(Pod pod, PodRecord record) {
    }

    private final PodLayout layout;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    PodStore(PodLayout layout) {
        this.layout = layout;
    }

    void savePod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        write(layout.podFile(uid), serialization.asJson(pod).getBytes(StandardCharsets.UTF_8));
    }

    void save(PodState state) {
        PodRecord r = state.record();
        synchronized (state) {
            if (state.deleting && !Files.isDirectory(layout.podDir(state.ref.uid()))) {
                return;
            }
        }
        write(layout.stateFile(state.ref.uid()), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
    }

    /** Every pod with readable files; unreadable ones are logged and left out. */
    List<Stored> loadAll() {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(layout.pods())) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.pods())) {
            for (Path dir : ds) {
                String uid = dir.getFileName().toString();
                try {
                    Pod pod = serialization.unmarshal(Files.readString(layout.podFile(uid)), Pod.class);
                    PodRecord r = Json.MAPPER.readValue(Files.readAllBytes(layout.stateFile(uid)), PodRecord.class);
                    out.add(new Stored(pod, r));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("event=pod_state_unreadable dir={} cause=\"{}\"", dir, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    void delete(String uid) {
        try {
            AtomicWriter.deleteTree(layout.podDir(uid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
