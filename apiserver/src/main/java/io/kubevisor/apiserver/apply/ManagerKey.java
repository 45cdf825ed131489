package io.kubevisor.apiserver.apply;

import java.util.Comparator;

/**
 * Who manages a set of fields. Entries with the same key merge into one managedFields entry.
 * Appliers are identified without an apiVersion (an applier keeps its identity across versions);
 * updaters include it, as Kubernetes' manager identifier does.
 *
 * @param manager     the field manager name ({@code kubectl}, {@code kubectl-client-side-apply}, ...)
 * @param operation   {@code Apply} or {@code Update}
 * @param apiVersion  the apiVersion for updaters; empty for appliers
 * @param subresource the subresource written through ({@code status}, {@code scale}) or empty
 */
public record ManagerKey(String manager, String operation, String apiVersion, String subresource) {

    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";

    /** Orders keys the same way whatever map they came from, for stable conflict reports. */
    static final Comparator<ManagerKey> ORDER = Comparator.comparing(ManagerKey::manager)
            .thenComparing(ManagerKey::operation)
            .thenComparing(ManagerKey::apiVersion)
            .thenComparing(ManagerKey::subresource);

    public ManagerKey {
        manager = manager == null || manager.isEmpty() ? "unknown" : manager;
        apiVersion = APPLY.equals(operation) || apiVersion == null ? "" : apiVersion;
        subresource = subresource == null ? "" : subresource;
    }

    public static ManagerKey applier(String manager, String subresource) {
        return new ManagerKey(manager, APPLY, "", subresource);
    }

    public static ManagerKey updater(String manager, String apiVersion, String subresource) {
        return new ManagerKey(manager, UPDATE, apiVersion, subresource);
    }

    public boolean applied() {
        return APPLY.equals(operation);
    }

    /**
     * The manager as conflict messages name it: {@code "kubectl"},
     * {@code "kubectl-client-side-apply" using apps/v1}, {@code "x" with subresource "status"}.
     */
    public String describe() {
        String s = ValueText.goQuote(manager);
        if (!subresource.isEmpty()) {
            s += " with subresource " + ValueText.goQuote(subresource);
        }
        if (UPDATE.equals(operation)) {
            s += " using " + apiVersion;
        }
        return s;
    }
}
