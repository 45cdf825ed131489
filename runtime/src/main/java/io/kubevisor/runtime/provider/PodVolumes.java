package io.kubevisor.runtime.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kubevisor.runtime.sandbox.ContainerSpec;

/**
 * A pod's volumes on the host, bind-mounted into its containers: emptyDir (a directory, or a
 * tmpfs mounted here for {@code medium: Memory}, sized by {@code sizeLimit}), and configMap,
 * secret, downwardAPI and projected volumes written with {@link AtomicWriter} and refreshed from
 * their sources on resync. Other kinds (hostPath, persistent volumes) are refused: pods get no
 * view of the host. Thread-safe per pod (callers serialize calls for one pod).
 */
final class PodVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(PodVolumes.class);

    private final PodLayout layout;
    private final VolumeFiles files;
    private final Clock clock;

    PodVolumes(PodLayout layout, VolumeFiles files, Clock clock) {
        this.layout = layout;
        this.files = files;
        this.clock = clock;
    }

    /**
     * Creates every volume of the pod (idempotent).
     *
     * @throws VolumeFiles.MountException with the kubelet's {@code MountVolume.SetUp failed for volume ...}
     */
    void setUp(Pod pod, FieldRefs.Context ctx) {
        String uid = pod.getMetadata().getUid();
        for (Volume v : FieldRefs.nz(pod.getSpec().getVolumes())) {
            Path dir = layout.volume(uid, v.getName());
            try {
                if (v.getEmptyDir() != null) {
                    emptyDir(dir, v);
                } else if (VolumeFiles.isProjectedKind(v)) {
                    AtomicWriter.write(dir, files.payload(pod, v, ctx), clock.instant());
                } else {
                    throw new VolumeFiles.MountException("volume type not supported on this node (hard multi-tenancy "
                            + "allows emptyDir, configMap, secret, downwardAPI and projected volumes)");
                }
            } catch (VolumeFiles.MountException e) {
                throw new VolumeFiles.MountException("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : "
                        + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Rewrites configMap, secret, downwardAPI and projected volumes whose content changed. */
    void refresh(Pod pod, FieldRefs.Context ctx) {
        String uid = pod.getMetadata().getUid();
        for (Volume v : FieldRefs.nz(pod.getSpec().getVolumes())) {
            if (!VolumeFiles.isProjectedKind(v)) {
                continue;
            }
            try {
                if (AtomicWriter.write(layout.volume(uid, v.getName()), files.payload(pod, v, ctx), clock.instant())) {
                    LOG.info("event=volume_refreshed pod={}/{} volume={}", pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(), v.getName());
                }
            } catch (RuntimeException e) {
                LOG.info("event=volume_refresh_failed pod={}/{} volume={} cause=\"{}\"",
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), v.getName(), e.getMessage());
            }
        }
    }

    /**
     * The container's mounts: each volumeMount's host directory (or its {@code subPath}, created
     * when missing), read-only when asked and always for API-sourced volumes.
     *
     * @throws ContainerConfigException for a mount of an unknown volume or an escaping subPath
     */
    List<ContainerSpec.Mount> mounts(Pod pod, Container c) {
        String uid = pod.getMetadata().getUid();
        List<ContainerSpec.Mount> out = new ArrayList<>();
        for (VolumeMount m : FieldRefs.nz(c.getVolumeMounts())) {
            Volume v = FieldRefs.nz(pod.getSpec().getVolumes()).stream().filter(x -> x.getName().equals(m.getName()))
                    .findFirst().orElseThrow(() -> new ContainerConfigException("cannot find volume \"" + m.getName()
                            + "\" to mount into container \"" + c.getName() + "\""));
            Path host = layout.volume(uid, v.getName());
            String sub = m.getSubPath();
            if (sub != null && !sub.isEmpty()) {
                try {
                    AtomicWriter.validate(sub);
                } catch (IllegalArgumentException e) {
                    throw new ContainerConfigException("failed to prepare subPath for volumeMount \"" + m.getName()
                            + "\" of container \"" + c.getName() + "\": " + e.getMessage());
                }
                host = host.resolve(sub);
                try {
                    if (!Files.exists(host)) {
                        Files.createDirectories(host);
                        Files.setPosixFilePermissions(host, PosixFilePermissions.fromString("rwxrwxrwx"));
                    }
                    // A subPath is pinned to what it points to now, as the kubelet binds it.
                    host = host.toRealPath();
                    if (!host.startsWith(layout.volume(uid, v.getName()).toRealPath())) {
                        throw new ContainerConfigException("subPath \"" + sub + "\" escapes volume \"" + v.getName()
                                + "\"");
                    }
                } catch (IOException e) {
                    throw new ContainerConfigException("failed to prepare subPath for volumeMount \"" + m.getName()
                            + "\" of container \"" + c.getName() + "\": " + e.getMessage());
                }
            }
            boolean ro = Boolean.TRUE.equals(m.getReadOnly()) || VolumeFiles.isProjectedKind(v);
            out.add(new ContainerSpec.Mount(host, m.getMountPath(), ro));
        }
        return out;
    }

    /** Unmounts tmpfs volumes and deletes the pod's volume directories. Idempotent. */
    void tearDown(String uid) {
        Path root = layout.volumes(uid);
        if (!Files.isDirectory(root)) {
            return;
        }
        for (String m : mountsUnder(root)) {
            run(List.of("umount", m));
            if (mountsUnder(Path.of(m)).contains(m)) {
                run(List.of("umount", "-l", m));
            }
        }
        List<String> left = mountsUnder(root);
        if (!left.isEmpty()) {
            throw new IllegalStateException("still mounted, not deleting volumes of pod " + uid + ": " + left);
        }
        try {
            AtomicWriter.deleteTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void emptyDir(Path dir, Volume v) throws IOException {
        boolean created = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        if ("Memory".equals(v.getEmptyDir().getMedium())) {
            if (!mountsUnder(dir).contains(dir.toString())) {
                Quantity size = v.getEmptyDir().getSizeLimit();
                String opts = "mode=1777" + (size == null ? ""
                        : ",size=" + Quantity.getAmountInBytes(size).toBigInteger());
                var r = run(List.of("mount", "-t", "tmpfs", "-o", opts, "kubevisor-emptydir", dir.toString()));
                if (r != 0) {
                    throw new VolumeFiles.MountException("cannot mount a tmpfs at " + dir);
                }
            }
        } else if (created) {
            // As the kubelet: world-writable, so containers running as any user can use it.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
    }

    /** Mount points at or below {@code dir}, deepest first. */
    static List<String> mountsUnder(Path dir) {
        String prefix = dir.toAbsolutePath().toString();
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    String mp = f[4].replace("\\040", " ");
                    if (mp.equals(prefix) || mp.startsWith(prefix + "/")) {
                        out.add(mp);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort((a, b) -> b.length() - a.length());
        return out;
    }

    private static int run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (p.exitValue() != 0) {
                LOG.warn("event=volume_command_failed cmd=\"{}\" rc={} output=\"{}\"", String.join(" ", cmd),
                        p.exitValue(), out.strip());
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
