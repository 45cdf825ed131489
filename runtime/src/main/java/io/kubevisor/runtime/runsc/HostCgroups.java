package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The host's cgroup v1 hierarchies as runsc uses them: reads a sandbox's limits and usage, its
 * OOM-kill counter, and removes cgroup directories runsc leaves behind (it does not remove a
 * container's cgroup when its sandbox died first).
 */
final class HostCgroups {

    private final Path root;

    HostCgroups(Path root) {
        this.root = root;
    }

    static HostCgroups system() {
        return new HostCgroups(Path.of("/sys/fs/cgroup"));
    }

    Path dir(String controller, String cgroupPath) {
        return root.resolve(controller).resolve(cgroupPath.substring(1));
    }

    /** A number from a cgroup file, or empty when the file is not there. */
    OptionalLong read(String controller, String cgroupPath, String file) {
        try {
            String s = Files.readString(dir(controller, cgroupPath).resolve(file)).trim();
            if (s.equals("max")) {
                return OptionalLong.of(Long.MAX_VALUE);
            }
            return OptionalLong.of(Long.parseLong(s));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether any process is in the cgroup (memory controller), or empty when that cannot be
     * read (no such cgroup): a cheap liveness check of a sandbox, which runs in its cgroup.
     */
    Optional<Boolean> hasProcesses(String cgroupPath) {
        try {
            return Optional.of(!Files.readString(dir("memory", cgroupPath).resolve("cgroup.procs")).isBlank());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** How often the host OOM killer struck in this cgroup ({@code oom_kill} of memory.oom_control). */
    long oomKills(String cgroupPath) {
        try {
            for (String line : Files.readAllLines(dir("memory", cgroupPath).resolve("memory.oom_control"))) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring(9).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * Creates the cgroup in the memory hierarchy with its limit (0: none) unless it exists. runsc
     * neither sets limits on a cgroup it did not create nor removes it, so the OOM-kill counter
     * outlives a sandbox that runsc tears down as soon as its root container ends.
     *
     * @throws RunscException when the directory or the limit cannot be written
     */
    void ensureMemory(String cgroupPath, long limitBytes) {
        Path d = dir("memory", cgroupPath);
        try {
            Files.createDirectories(d);
            if (limitBytes > 0) {
                Files.writeString(d.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
            }
        } catch (IOException e) {
            throw new RunscException("cannot set up memory cgroup " + d + ": " + e.getMessage(), e);
        }
    }

    /** Memory in use minus inactive file cache (the kubelet's working set). */
    long memoryWorkingSet(String cgroupPath) {
        long usage = read("memory", cgroupPath, "memory.usage_in_bytes").orElse(0);
        long inactive = 0;
        try {
            for (String line : Files.readAllLines(dir("memory", cgroupPath).resolve("memory.stat"))) {
                if (line.startsWith("total_inactive_file ")) {
                    inactive = Long.parseLong(line.substring(20).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            inactive = 0;
        }
        return Math.max(0, usage - inactive);
    }

    /** The cgroup's directories in every hierarchy, for leak checks. */
    List<Path> existing(String cgroupPath) {
        var found = new ArrayList<Path>();
        for (Path hierarchy : hierarchies()) {
            Path d = hierarchy.resolve(cgroupPath.substring(1));
            if (Files.isDirectory(d)) {
                found.add(d);
            }
        }
        return found;
    }

    /** Removes the cgroup and anything below it in every hierarchy; returns what could not go. */
    List<Path> removeTree(String cgroupPath) {
        var left = new ArrayList<Path>();
        for (Path d : existing(cgroupPath)) {
            List<Path> dirs;
            try (Stream<Path> walk = Files.walk(d)) {
                dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            } catch (IOException e) {
                left.add(d);
                continue;
            }
            for (Path dir : dirs) {
                if (!rmdir(dir)) {
                    left.add(dir);
                }
            }
        }
        return left;
    }

    /** Removes one cgroup directory, retrying briefly while its last tasks are still exiting. */
    private static boolean rmdir(Path dir) {
        for (int i = 0; i < 20; i++) {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private List<Path> hierarchies() {
        var list = new ArrayList<Path>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
                    list.add(p);
                }
            }
        } catch (IOException e) {
            return list;
        }
        return list;
    }
}
