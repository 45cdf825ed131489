package io.kubevisor.apiserver.registry;

/**
 * A DELETE's options (query parameters or a DeleteOptions body).
 *
 * @param gracePeriodSeconds  null: the kind's default
 * @param preconditionUid     delete only if the uid matches; null: any
 * @param preconditionVersion delete only if the resourceVersion matches; null: any
 * @param propagationPolicy   Orphan, Background or Foreground; null: the kind's default
 * @param dryRun              answer as if deleted, change nothing
 */
public record DeleteOptions(Long gracePeriodSeconds, String preconditionUid, String preconditionVersion,
                            String propagationPolicy, boolean dryRun) {

    public static DeleteOptions defaults() {
        return new DeleteOptions(null, null, null, null, false);
    }
}
