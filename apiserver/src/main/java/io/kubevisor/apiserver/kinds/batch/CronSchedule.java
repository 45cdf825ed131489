package io.kubevisor.apiserver.kinds.batch;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a CronJob schedule the way Kubernetes' cron library (robfig/cron v3, standard parser)
 * does: five fields (minute, hour, day of month, month, day of week) with ranges, steps, lists and
 * names, the {@code @hourly}-style descriptors, {@code @every <duration>}, and an optional
 * {@code TZ=} or {@code CRON_TZ=} prefix. Reports the library's own error text. Stateless.
 */
public final class CronSchedule {

    private record Bounds(int min, int max, Map<String, Integer> names) {
    }

    private static final Bounds MINUTES = new Bounds(0, 59, Map.of());
    private static final Bounds HOURS = new Bounds(0, 23, Map.of());
    private static final Bounds DAYS = new Bounds(1, 31, Map.of());
    private static final Bounds MONTHS = new Bounds(1, 12, Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
            Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
            Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12)));
    private static final Bounds WEEKDAYS = new Bounds(0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4,
            "fri", 5, "sat", 6));
    private static final List<Bounds> FIELDS = List.of(MINUTES, HOURS, DAYS, MONTHS, WEEKDAYS);
    private static final List<String> DESCRIPTORS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");

    private CronSchedule() {
    }

    /** Why {@code spec} is not a schedule, in the cron library's words; empty when it is one. */
    public static Optional<String> problem(String spec) {
        if (spec.isEmpty()) {
            return Optional.of("empty spec string");
        }
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            int space = spec.indexOf(' ');
            int eq = spec.indexOf('=');
            String zone = space < 0 ? spec.substring(eq + 1) : spec.substring(eq + 1, space);
            if (!knownZone(zone)) {
                return Optional.of("provided bad location " + zone + ": unknown time zone " + zone);
            }
            spec = space < 0 ? "" : spec.substring(space).strip();
        }
        if (spec.startsWith("@")) {
            return descriptor(spec);
        }
        List<String> fields = new ArrayList<>();
        for (String f : spec.strip().split("\\s+")) {
            if (!f.isEmpty()) {
                fields.add(f);
            }
        }
        if (fields.size() != FIELDS.size()) {
            return Optional.of("expected exactly 5 fields, found " + fields.size() + ": [" + String.join(" ", fields) + "]");
        }
        for (int i = 0; i < fields.size(); i++) {
            for (String expr : fields.get(i).split(",")) {
                if (expr.isEmpty()) {
                    continue;
                }
                Optional<String> p = range(expr, FIELDS.get(i));
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean knownZone(String zone) {
        return zone.equals("UTC") || zone.equals("Local") || zone.isEmpty() || ZoneId.getAvailableZoneIds().contains(zone);
    }

    /** Whether {@code zone} is a time zone name Kubernetes accepts in {@code spec.timeZone}. */
    static boolean knownTimeZone(String zone) {
        return !zone.equals("Local") && knownZone(zone) && !zone.isEmpty();
    }

    private static Optional<String> descriptor(String d) {
        if (DESCRIPTORS.contains(d)) {
            return Optional.empty();
        }
        if (d.startsWith("@every ")) {
            return GoDuration.problem(d.substring("@every ".length()))
                    .map(p -> "failed to parse duration " + d + ": " + p);
        }
        return Optional.of("unrecognized descriptor: " + d);
    }

    private static Optional<String> range(String expr, Bounds b) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowHigh = rangeAndStep[0].split("-", -1);
        boolean single = lowHigh.length == 1;
        long start;
        long end;
        if (lowHigh[0].equals("*") || lowHigh[0].equals("?")) {
            start = b.min();
            end = b.max();
        } else {
            Object s = intOrName(lowHigh[0], b);
            if (s instanceof String err) {
                return Optional.of(err);
            }
            start = (Long) s;
            if (lowHigh.length == 1) {
                end = start;
            } else if (lowHigh.length == 2) {
                Object e = intOrName(lowHigh[1], b);
                if (e instanceof String err) {
                    return Optional.of(err);
                }
                end = (Long) e;
            } else {
                return Optional.of("too many hyphens: " + expr);
            }
        }
        long step = 1;
        if (rangeAndStep.length == 2) {
            Object s = mustParseInt(rangeAndStep[1]);
            if (s instanceof String err) {
                return Optional.of(err);
            }
            step = (Long) s;
            if (single) {
                end = b.max();
            }
        } else if (rangeAndStep.length > 2) {
            return Optional.of("too many slashes: " + expr);
        }
        if (start < b.min()) {
            return Optional.of("beginning of range (" + start + ") below minimum (" + b.min() + "): " + expr);
        }
        if (end > b.max()) {
            return Optional.of("end of range (" + end + ") above maximum (" + b.max() + "): " + expr);
        }
        if (start > end) {
            return Optional.of("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
        }
        if (step == 0) {
            return Optional.of("step of range should be a positive number: " + expr);
        }
        return Optional.empty();
    }

    /** A Long, or the error text. */
    private static Object intOrName(String expr, Bounds b) {
        Integer named = b.names().get(expr.toLowerCase(Locale.ROOT));
        return named != null ? (Object) (long) named : mustParseInt(expr);
    }

    /** A Long, or the error text (Go's strconv.Atoi wording). */
    private static Object mustParseInt(String expr) {
        long num;
        try {
            if (!expr.matches("[+-]?[0-9]+")) {
                throw new NumberFormatException();
            }
            num = Long.parseLong(expr.startsWith("+") ? expr.substring(1) : expr);
        } catch (NumberFormatException e) {
            boolean digits = expr.matches("[+-]?[0-9]+");
            return "failed to parse int from " + expr + ": strconv.Atoi: parsing \"" + expr + "\": "
                    + (digits ? "value out of range" : "invalid syntax");
        }
        if (num < 0) {
            return "negative number (" + num + ") not allowed: " + expr;
        }
        return num;
    }
}
