package io.kubevisor.api.table;

import java.time.Duration;

/**
 * Kubernetes' short human duration ({@code k8s.io/apimachinery/pkg/util/duration.HumanDuration}),
 * the format of every AGE column: "45s", "3m20s", "10m", "5h3m", "13h", "3d4h", "20d", "2y30d",
 * "9y". Precision drops as the duration grows. Stateless.
 */
public final class HumanDuration {

    private HumanDuration() {
    }

    /**
     * Formats a duration. A value up to two seconds negative (clock skew) prints "0s"; more
     * negative prints "&lt;invalid&gt;".
     */
    public static String format(Duration d) {
        // Go converts the float seconds with truncation towards zero.
        long seconds = d.getSeconds() < 0 && d.getNano() > 0 ? d.getSeconds() + 1 : d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = seconds / 3600;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
