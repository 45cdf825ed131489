package io.kubevisor.runtime.sandbox;

import java.nio.file.Path;

/**
 * Optional ability: freeze a sandbox to disk and bring it back (tenant hibernation).
 *
 * <p>A runtime may be able to do this only for some sandboxes (e.g. runsc: sandboxes started as
 * single-container ones); it then refuses the others with {@link UnsupportedOperationException}
 * before touching them. While checkpointed, a sandbox's containers keep reporting the state they
 * had; {@link SandboxRuntime#remove} discards what a restore needs.
 */
public interface SandboxCheckpoint {

    /**
     * Writes the sandbox's state to {@code image} (a directory) and stops it.
     *
     * @throws UnsupportedOperationException when this sandbox cannot be restored by this runtime
     */
    void checkpoint(SandboxHandle sandbox, Path image);

    /** Starts a checkpointed sandbox again from {@code image}, under the same spec and id. */
    SandboxHandle restore(SandboxSpec spec, Path image);
}
