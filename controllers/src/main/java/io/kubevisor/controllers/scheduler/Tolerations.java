package io.kubevisor.controllers.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

/** Whether tolerations tolerate taints, with Kubernetes' matching rules. Stateless. */
public final class Tolerations {

    /** The effects that keep pods off a node unless tolerated. */
    static final Set<String> BLOCKING = Set.of("NoSchedule", "NoExecute");

    private Tolerations() {
    }

    /**
     * Whether {@code t} tolerates {@code taint}: the effect matches (or the toleration names
     * none), the key matches (or the toleration names none, which with {@code Exists} means every
     * taint), and with operator {@code Equal} (the default) the values are equal.
     */
    public static boolean tolerates(Toleration t, Taint taint) {
        if (!isEmpty(t.getEffect()) && !t.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (!isEmpty(t.getKey()) && !t.getKey().equals(taint.getKey())) {
            return false;
        }
        String op = isEmpty(t.getOperator()) ? "Equal" : t.getOperator();
        return switch (op) {
            case "Exists" -> true;
            case "Equal" -> nullToEmpty(t.getValue()).equals(nullToEmpty(taint.getValue()));
            default -> false;
        };
    }

    /** Whether any of {@code tolerations} tolerates {@code taint}. */
    public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : nullSafe(tolerations)) {
            if (tolerates(t, taint)) {
                return true;
            }
        }
        return false;
    }

    /** The first NoSchedule or NoExecute taint that no toleration tolerates, as kube-scheduler reports it. */
    public static Optional<Taint> firstUntoleratedBlocking(List<Taint> taints, List<Toleration> tolerations) {
        for (Taint taint : nullSafe(taints)) {
            if (BLOCKING.contains(taint.getEffect()) && !tolerated(tolerations, taint)) {
                return Optional.of(taint);
            }
        }
        return Optional.empty();
    }

    /** How many PreferNoSchedule taints are not tolerated by a toleration of that effect (or none). */
    public static int untoleratedPreferNoSchedule(List<Taint> taints, List<Toleration> tolerations) {
        List<Toleration> relevant = new ArrayList<>();
        for (Toleration t : nullSafe(tolerations)) {
            if (isEmpty(t.getEffect()) || t.getEffect().equals("PreferNoSchedule")) {
                relevant.add(t);
            }
        }
        int n = 0;
        for (Taint taint : nullSafe(taints)) {
            if ("PreferNoSchedule".equals(taint.getEffect()) && !tolerated(relevant, taint)) {
                n++;
            }
        }
        return n;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }
}
