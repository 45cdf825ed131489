package io.kubevisor.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on stderr, so stdout carries only the Markdown report. */
final class Progress {

    private Progress() {
    }

    static void say(String message) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " bench: " + message);
    }
}
