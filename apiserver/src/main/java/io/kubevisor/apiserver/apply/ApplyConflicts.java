package io.kubevisor.apiserver.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.StatusCause;

/**
 * Server-side apply conflicts as Kubernetes reports them: 409 Conflict, one
 * {@code FieldManagerConflict} cause per field, and a message such as
 * {@code Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas}
 * or, for several, {@code Apply failed with 2 conflicts: conflicts with "a":\n- .x\n- .y}.
 */
final class ApplyConflicts {

    private ApplyConflicts() {
    }

    /** Conflicting fields by manager, found while applying. */
    static final class Found extends RuntimeException {
        final transient Map<ManagerKey, FieldSet> byManager;

        Found(Map<ManagerKey, FieldSet> byManager) {
            super("apply conflicts", null, false, false);
            this.byManager = byManager;
        }
    }

    private record One(ManagerKey manager, String path) {
    }

    static ApiException.Conflict toApiException(Found found) {
        List<One> all = new ArrayList<>();
        found.byManager.forEach((k, set) -> set.forEach(p -> all.add(new One(k, PathElement.toString(p)))));
        List<StatusCause> causes = new ArrayList<>();
        for (One c : all) {
            causes.add(new StatusCause("FieldManagerConflict", "conflict with " + c.manager().describe(), c.path()));
        }
        return ApiException.Conflict.withCauses(null, null, null, message(all), causes);
    }

    private static String message(List<One> all) {
        if (all.size() == 1) {
            One c = all.getFirst();
            return "Apply failed with 1 conflict: conflict with " + c.manager().describe() + ": " + c.path();
        }
        List<String> lines = new ArrayList<>();
        ManagerKey current = null;
        List<One> sorted = new ArrayList<>(all);
        // Kubernetes groups by manager name in sorted order, keeping each manager's paths in order.
        sorted.sort((a, b) -> a.manager().describe().compareTo(b.manager().describe()));
        for (One c : sorted) {
            if (!c.manager().equals(current)) {
                current = c.manager();
                lines.add("conflicts with " + current.describe() + ":");
            }
            lines.add("- " + c.path());
        }
        return "Apply failed with " + all.size() + " conflicts: " + String.join("\n", lines);
    }
}
