package io.kubevisor.runtime.runsc;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The sandboxes and containers this agent knows, and one lock per sandbox: lifecycle calls on
 * one sandbox run one at a time, calls on different sandboxes in parallel. Thread-safe.
 */
final class Registry {

    private final ConcurrentMap<String, SandboxRecord> sandboxes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ContainerEntry> containers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    SandboxRecord sandbox(String id) {
        return sandboxes.get(id);
    }

    void putSandbox(SandboxRecord r) {
        sandboxes.put(r.id(), r);
    }

    void removeSandbox(String id) {
        sandboxes.remove(id);
        locks.remove(id);
    }

    List<SandboxRecord> sandboxes() {
        return List.copyOf(sandboxes.values());
    }

    ContainerEntry container(String id) {
        return containers.get(id);
    }

    void putContainer(ContainerEntry e) {
        containers.put(e.record().id(), e);
    }

    void removeContainer(String id) {
        containers.remove(id);
    }

    List<ContainerEntry> containersOf(String sandboxId) {
        return containers.values().stream().filter(e -> e.record().sandboxId().equals(sandboxId)).toList();
    }

    List<ContainerEntry> containers() {
        return List.copyOf(containers.values());
    }

    /** Runs {@code action} holding the sandbox's lock. */
    <T> T locked(String sandboxId, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(sandboxId, k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
