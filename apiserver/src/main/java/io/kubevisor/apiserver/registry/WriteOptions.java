package io.kubevisor.apiserver.registry;

/**
 * How a write is carried out.
 *
 * @param dryRun       validate and answer, but store nothing
 * @param fieldManager the manager recorded in managedFields
 */
public record WriteOptions(boolean dryRun, String fieldManager) {

    public static WriteOptions defaults() {
        return new WriteOptions(false, "unknown");
    }
}
