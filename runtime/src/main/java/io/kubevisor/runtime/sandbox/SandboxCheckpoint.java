package io.kubevisor.runtime.sandbox;

import java.nio.file.Path;

/** Optional ability: freeze a sandbox to disk and bring it back (tenant hibernation). */
public interface SandboxCheckpoint {

    /** Writes the sandbox's state to {@code image} and stops it. */
    void checkpoint(SandboxHandle sandbox, Path image);

    /** Starts a sandbox again from {@code image}, under the same spec. */
    SandboxHandle restore(SandboxSpec spec, Path image);
}
