package io.kubevisor.runtime.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import io.fabric8.kubernetes.api.model.Container;
import io.kubevisor.runtime.logs.CriLogReader;
import io.kubevisor.runtime.sandbox.ContainerSpec;

/**
 * A container's termination message, as the kubelet gives it: an empty host file per instance,
 * bound read-write at the container's {@code terminationMessagePath} (the container's own writes
 * stay in the sandbox, so the message must be written through a mount), read when the instance
 * ends — at most {@value #MAX_FILE_BYTES} bytes — and with {@code FallbackToLogsOnError}, when
 * that file is empty and the instance failed, the last {@value #MAX_LOG_LINES} lines of its log
 * (at most {@value #MAX_LOG_BYTES} bytes). Stateless.
 */
final class TerminationMessages {

    static final int MAX_FILE_BYTES = 4096;
    static final int MAX_LOG_LINES = 80;
    static final int MAX_LOG_BYTES = 2048;
    static final String DEFAULT_PATH = "/dev/termination-log";

    private final PodLayout layout;

    TerminationMessages(PodLayout layout) {
        this.layout = layout;
    }

    /** Creates the instance's empty message file (writable by any user) and returns its mount. */
    ContainerSpec.Mount prepare(String podUid, Container c, String instanceId) {
        Path file = file(podUid, instanceId);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            // The container may run as any user; the kubelet makes this file world-writable too.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            throw new ContainerConfigException("cannot create the termination message file: " + e.getMessage());
        }
        return new ContainerSpec.Mount(file, path(c), false);
    }

    /**
     * The message of an instance that ended, or null for none: its file's content, else (with
     * {@code FallbackToLogsOnError} and a non-zero exit) its log's tail.
     */
    String read(String podUid, Container c, String instanceId, int exitCode, Path log) {
        String message = head(file(podUid, instanceId));
        if (message.isEmpty() && exitCode != 0 && "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy())) {
            message = logTail(log);
        }
        return message.isEmpty() ? null : message;
    }

    /** Forgets an instance's file (its successor has another). */
    void remove(String podUid, String instanceId) {
        try {
            Files.deleteIfExists(file(podUid, instanceId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String podUid, String instanceId) {
        return layout.podDir(podUid).resolve("termination").resolve(instanceId);
    }

    private static String path(Container c) {
        String p = c.getTerminationMessagePath();
        return p == null || p.isEmpty() ? DEFAULT_PATH : p;
    }

    private static String head(Path file) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String logTail(Path log) {
        if (log == null || !Files.exists(log)) {
            return "";
        }
        var out = new ByteArrayOutputStream();
        try {
            new CriLogReader(log).copy(new CriLogReader.Options(false, MAX_LOG_LINES, null, false, -1), out, () -> false);
        } catch (IOException e) {
            return "";
        }
        byte[] all = out.toByteArray();
        byte[] tail = all.length <= MAX_LOG_BYTES ? all : Arrays.copyOfRange(all, all.length - MAX_LOG_BYTES, all.length);
        return new String(tail, StandardCharsets.UTF_8);
    }
}
