package io.kubevisor.controllers.scheduler;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * An amount of the resources the scheduler accounts for, in the integer units kube-scheduler uses:
 * CPU in millicores, memory and ephemeral storage in bytes, and scalar resources (extended
 * resources such as {@code example.com/gpu}, {@code hugepages-*}) in their own units. Immutable.
 *
 * @param milliCpu         CPU in thousandths of a core
 * @param memory           bytes
 * @param ephemeralStorage bytes
 * @param scalars          the scalar resources by name, never holding a zero
 */
public record Resources(long milliCpu, long memory, long ephemeralStorage, Map<String, Long> scalars) {

    /** Nothing at all. */
    public static final Resources NONE = new Resources(0, 0, 0, Map.of());

    public Resources {
        scalars = Map.copyOf(scalars);
    }

    /**
     * The resources of a resource list ({@code requests}, {@code allocatable}), rounding each
     * quantity up to a whole unit as Kubernetes does ({@code 0.5m} CPU counts as 1 millicore).
     * Resources the scheduler does not account for ({@code pods}, unprefixed unknown names) are
     * left out; {@code null} is nothing.
     *
     * @throws IllegalArgumentException if a quantity is not one
     */
    public static Resources of(Map<String, Quantity> list) {
        return fromAmounts(amounts(list));
    }

    /** The exact amounts of a resource list; {@code null} is empty. */
    static Map<String, BigDecimal> amounts(Map<String, Quantity> list) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (list != null) {
            list.forEach((name, q) -> out.put(name, amount(q)));
        }
        return out;
    }

    /** Exact amounts by resource name in the scheduler's units, each rounded up. */
    static Resources fromAmounts(Map<String, BigDecimal> amounts) {
        if (amounts.isEmpty()) {
            return NONE;
        }
        long cpu = 0;
        long memory = 0;
        long storage = 0;
        Map<String, Long> scalars = new TreeMap<>();
        for (Map.Entry<String, BigDecimal> e : amounts.entrySet()) {
            String name = e.getKey();
            switch (name) {
                case "cpu" -> cpu = ceil(e.getValue().movePointRight(3));
                case "memory" -> memory = ceil(e.getValue());
                case "ephemeral-storage" -> storage = ceil(e.getValue());
                default -> {
                    if (isScalar(name)) {
                        long v = ceil(e.getValue());
                        if (v != 0) {
                            scalars.put(name, v);
                        }
                    }
                }
            }
        }
        return new Resources(cpu, memory, storage, scalars);
    }

    private static long ceil(BigDecimal v) {
        return v.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The value of {@code q} in thousandths, rounded up (CPU). */
    public static long milli(Quantity q) {
        return ceil(amount(q).movePointRight(3));
    }

    /** The value of {@code q} in whole units, rounded up (bytes, counts). */
    public static long whole(Quantity q) {
        return ceil(amount(q));
    }

    static BigDecimal amount(Quantity q) {
        try {
            return q.getNumericalAmount();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a quantity: " + q.getAmount() + q.getFormat(), e);
        }
    }

    /**
     * Whether kube-scheduler counts this resource beyond CPU, memory and ephemeral storage:
     * extended resources (a domain-prefixed name outside {@code kubernetes.io}), huge pages and
     * attachable volumes.
     */
    static boolean isScalar(String name) {
        if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) {
            return true;
        }
        return name.contains("/") && !name.contains("kubernetes.io/") && !name.startsWith("requests.");
    }

    /** Whether no resource is requested at all. */
    public boolean isZero() {
        return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && scalars.isEmpty();
    }

    /** A scalar resource's amount, 0 when absent. */
    public long scalar(String name) {
        return scalars.getOrDefault(name, 0L);
    }

    /** This plus {@code o}. */
    public Resources plus(Resources o) {
        Map<String, Long> s = new TreeMap<>(scalars);
        o.scalars.forEach((k, v) -> s.merge(k, v, Long::sum));
        s.values().removeIf(v -> v == 0);
        return new Resources(milliCpu + o.milliCpu, memory + o.memory, ephemeralStorage + o.ephemeralStorage, s);
    }

    /** This minus {@code o}. */
    public Resources minus(Resources o) {
        Map<String, Long> negated = new TreeMap<>();
        o.scalars.forEach((k, v) -> negated.put(k, -v));
        return plus(new Resources(-o.milliCpu, -o.memory, -o.ephemeralStorage, negated));
    }

    /** The larger of this and {@code o}, resource by resource. */
    public Resources max(Resources o) {
        Map<String, Long> s = new TreeMap<>(scalars);
        o.scalars.forEach((k, v) -> s.merge(k, v, Math::max));
        return new Resources(Math.max(milliCpu, o.milliCpu), Math.max(memory, o.memory),
                Math.max(ephemeralStorage, o.ephemeralStorage), s);
    }
}
