package io.kubevisor.apiserver.registry;

/**
 * How a write is carried out.
 *
 * @param dryRun       validate and answer, but store nothing
 * @param fieldManager the manager recorded in managedFields
 * @param applied      the object comes from server-side apply, which has recorded field
 *                     ownership itself (the registry must not record an Update on top)
 */
public record WriteOptions(boolean dryRun, String fieldManager, boolean applied) {

    public WriteOptions(boolean dryRun, String fieldManager) {
        this(dryRun, fieldManager, false);
    }

    public static WriteOptions defaults() {
        return new WriteOptions(false, "unknown", false);
    }

    public WriteOptions asApply() {
        return new WriteOptions(dryRun, fieldManager, true);
    }
}
