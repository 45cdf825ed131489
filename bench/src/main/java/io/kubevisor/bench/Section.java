package io.kubevisor.bench;

import java.util.List;

/** One scenario's part of the report. */
interface Section {

    /** The scenario's heading. */
    String title();

    /** Rows for the summary table: scenario, measured, baseline, ratio, target, verdict. */
    List<List<String>> summary();

    /** The scenario's detailed numbers, as Markdown. */
    String details();
}
