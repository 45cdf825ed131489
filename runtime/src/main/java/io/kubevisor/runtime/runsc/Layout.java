package io.kubevisor.runtime.runsc;

import java.nio.file.Path;

/**
 * Where this runtime keeps things under its bundle directory:
 * <pre>
 * pause/rootfs/bin/busybox                 the pause container's root (shared, read-only)
 * sandboxes/SID/sandbox.json               what the sandbox was started with
 * sandboxes/SID/config.json                the pause container's OCI bundle (none in a single-container sandbox)
 * sandboxes/SID/etc/{hosts,resolv.conf,hostname}
 * sandboxes/SID/runsc.log                  output of create/start/restore of the sandbox
 * sandboxes/SID/containers/CID/container.json, config.json, runsc.log
 * sandboxes/SID/containers/CID/stdout, stderr, log-offsets   raw output and how far it is converted
 * sandboxes/SID/containers/CID/stdin, stdin.holder           the stdin FIFO and its holder's pid
 * sandboxes/SID/containers/CID/terminal, terminal.holder     a tty container's host terminal; an app container's relay's pid
 * sandboxes/SID/containers/CID/rootfs, upper, work           the host overlay over the image
 * </pre>
 */
record Layout(Path bundleDir) {

    Path pauseRootfs() {
        return bundleDir.resolve("pause").resolve("rootfs");
    }

    Path sandboxes() {
        return bundleDir.resolve("sandboxes");
    }

    Path sandbox(String sid) {
        return sandboxes().resolve(sid);
    }

    Path sandboxRecord(String sid) {
        return sandbox(sid).resolve("sandbox.json");
    }

    Path etc(String sid) {
        return sandbox(sid).resolve("etc");
    }

    Path sandboxLog(String sid) {
        return sandbox(sid).resolve("runsc.log");
    }

    Path containers(String sid) {
        return sandbox(sid).resolve("containers");
    }

    Path container(String sid, String cid) {
        return containers(sid).resolve(cid);
    }

    Path containerRecord(String sid, String cid) {
        return container(sid, cid).resolve("container.json");
    }

    Path containerLog(String sid, String cid) {
        return container(sid, cid).resolve("runsc.log");
    }

    /** Where a single-container sandbox's {@code runsc run} leaves its exit code, for an agent that was away. */
    Path exitCode(String sid, String cid) {
        return container(sid, cid).resolve("exit-code");
    }

    Path stdout(String sid, String cid) {
        return container(sid, cid).resolve("stdout");
    }

    Path stdin(String sid, String cid) {
        return container(sid, cid).resolve("stdin");
    }

    Path stderr(String sid, String cid) {
        return container(sid, cid).resolve("stderr");
    }

    Path logOffsets(String sid, String cid) {
        return container(sid, cid).resolve("log-offsets");
    }

    Path rootfs(String sid, String cid) {
        return container(sid, cid).resolve("rootfs");
    }

    Path upper(String sid, String cid) {
        return container(sid, cid).resolve("upper");
    }

    Path work(String sid, String cid) {
        return container(sid, cid).resolve("work");
    }
}
