package io.kubevisor.runtime.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the blocks of a file's first bytes without changing its length or offsets (Linux
 * {@code fallocate --punch-hole}). Java has no call for it, so this runs util-linux's
 * {@code fallocate}.
 */
final class HolePunch {

    private static final Logger LOG = LoggerFactory.getLogger(HolePunch.class);

    private HolePunch() {
    }

    /**
     * Punches {@code [0, length)} of {@code file}.
     *
     * @return false when punching is not possible here (no tool, no file-system support)
     */
    static boolean punch(Path file, long length) {
        if (length <= 0) {
            return true;
        }
        try {
            Process p = new ProcessBuilder("fallocate", "--punch-hole", "--offset", "0", "--length",
                    Long.toString(length), file.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            if (p.exitValue() != 0) {
                LOG.warn("event=punch-hole-failed file={} output=\"{}\"", file, output);
                return false;
            }
            return true;
        } catch (IOException e) {
            LOG.warn("event=punch-hole-failed file={} error=\"{}\"", file, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
