package io.kubevisor.runtime.provider;

/**
 * The kubelet's probe thresholds: a result counts only after {@code successThreshold}
 * consecutive successes or {@code failureThreshold} consecutive failures; until then the previous
 * verdict stands. Not thread-safe (one probe worker owns it).
 */
final class ProbeCounter {

    private final int successThreshold;
    private final int failureThreshold;
    private Boolean last;
    private int run;

    ProbeCounter(int successThreshold, int failureThreshold) {
        this.successThreshold = Math.max(1, successThreshold);
        this.failureThreshold = Math.max(1, failureThreshold);
    }

    /**
     * Records one probe's outcome.
     *
     * @return the verdict to apply now (true: success, false: failure), or null while below the threshold
     */
    Boolean record(boolean success) {
        if (last != null && last == success) {
            run++;
        } else {
            last = success;
            run = 1;
        }
        if (success ? run < successThreshold : run < failureThreshold) {
            return null;
        }
        return success;
    }

    /** Starts counting anew (after a failure verdict has been acted on). */
    void reset() {
        run = 0;
        last = null;
    }
}
