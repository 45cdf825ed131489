package io.kubevisor.controllers.namespace;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceStatus;

/**
 * The status conditions Kubernetes' namespace controller keeps on a terminating namespace, with
 * the same types, reasons and messages, so tools that read them (kubectl describe, operators
 * waiting on deletions) see what they expect. Each sweep sets all five: {@code "True"} with a
 * problem's reason and message, or {@code "False"} with the all-clear one. Stateless.
 */
final class NamespaceConditions {

    static final String DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure";
    static final String GROUP_VERSION_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure";
    static final String CONTENT_FAILURE = "NamespaceDeletionContentFailure";
    static final String CONTENT_REMAINING = "NamespaceContentRemaining";
    static final String FINALIZERS_REMAINING = "NamespaceFinalizersRemaining";

    /** Kubernetes' order, which is also the order new conditions are appended in. */
    static final List<String> TYPES = List.of(DISCOVERY_FAILURE, GROUP_VERSION_PARSING_FAILURE, CONTENT_FAILURE,
            CONTENT_REMAINING, FINALIZERS_REMAINING);

    private record Ok(String reason, String message) {
    }

    private static final Map<String, Ok> OK = Map.of(
            DISCOVERY_FAILURE, new Ok("ResourcesDiscovered", "All resources successfully discovered"),
            GROUP_VERSION_PARSING_FAILURE, new Ok("ParsedGroupVersions", "All legacy kube types successfully parsed"),
            CONTENT_FAILURE, new Ok("ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
            CONTENT_REMAINING, new Ok("ContentRemoved", "All content successfully removed"),
            FINALIZERS_REMAINING, new Ok("ContentHasNoFinalizers", "All content-preserving finalizers finished"));

    private NamespaceConditions() {
    }

    /** The five conditions {@code sweep} calls for, in {@link #TYPES} order, stamped {@code now}. */
    static List<NamespaceCondition> of(Sweep sweep, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<NamespaceCondition> out = new ArrayList<>();
        for (String type : TYPES) {
            NamespaceCondition problem = switch (type) {
                case DISCOVERY_FAILURE -> sweep.discoveryError() == null ? null
                        : failing(type, "DiscoveryFailed", sweep.discoveryError(), time);
                case GROUP_VERSION_PARSING_FAILURE -> sweep.groupVersionError() == null ? null
                        : failing(type, "GroupVersionParsingFailed", sweep.groupVersionError(), time);
                case CONTENT_FAILURE -> sweep.deleteErrors().isEmpty() ? null
                        : failing(type, "ContentDeletionFailed", "Failed to delete all resource types, "
                                + sweep.deleteErrors().size() + " remaining: "
                                + String.join(", ", sweep.deleteErrors().stream().sorted().toList()), time);
                case CONTENT_REMAINING -> sweep.remainingByResource().isEmpty() ? null
                        : failing(type, "SomeResourcesRemain", "Some resources are remaining: "
                                + counts(sweep.remainingByResource(), " has %d resource instances"), time);
                case FINALIZERS_REMAINING -> sweep.remainingByFinalizer().isEmpty() ? null
                        : failing(type, "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: "
                                + counts(sweep.remainingByFinalizer(), " in %d resource instances"), time);
                default -> throw new IllegalStateException(type);
            };
            out.add(problem != null ? problem : condition(type, "False", OK.get(type).reason(), OK.get(type).message(), time));
        }
        return out;
    }

    /**
     * Writes {@code desired} into {@code status.conditions}: adds missing types, updates changed
     * ones (moving lastTransitionTime only when the status flips), leaves other types alone.
     *
     * @return whether anything changed, i.e. whether the status needs writing
     */
    static boolean merge(NamespaceStatus status, List<NamespaceCondition> desired) {
        List<NamespaceCondition> conditions = status.getConditions() == null ? new ArrayList<>()
                : new ArrayList<>(status.getConditions());
        boolean changed = false;
        for (NamespaceCondition want : desired) {
            NamespaceCondition have = conditions.stream().filter(c -> want.getType().equals(c.getType()))
                    .findFirst().orElse(null);
            if (have == null) {
                conditions.add(want);
                changed = true;
            } else if (!Objects.equals(have.getStatus(), want.getStatus())
                    || !Objects.equals(have.getReason(), want.getReason())
                    || !Objects.equals(have.getMessage(), want.getMessage())) {
                if (!Objects.equals(have.getStatus(), want.getStatus())) {
                    have.setLastTransitionTime(want.getLastTransitionTime());
                }
                have.setStatus(want.getStatus());
                have.setReason(want.getReason());
                have.setMessage(want.getMessage());
                changed = true;
            }
        }
        status.setConditions(conditions);
        return changed;
    }

    /** {@code a has 1 resource instances, b has 2 resource instances}: sorted, as Kubernetes sorts the strings. */
    private static String counts(Map<String, Integer> byName, String format) {
        return String.join(", ", byName.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + String.format(format, e.getValue()))
                .sorted()
                .toList());
    }

    private static NamespaceCondition failing(String type, String reason, String message, String time) {
        return condition(type, "True", reason, message, time);
    }

    private static NamespaceCondition condition(String type, String status, String reason, String message, String time) {
        NamespaceCondition c = new NamespaceCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastTransitionTime(time);
        return c;
    }
}
