package io.kubevisor.api.table;

import java.time.Instant;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/** Shared clock and JSON helper for printer tests. */
final class Fixtures {

    /** "Now" in every printer test; objects are created relative to it. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private Fixtures() {
    }

    /** Parses JSON written with single quotes, for readable fixtures. */
    static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    /** An RFC 3339 time the given number of seconds before {@link #NOW}. */
    static String ago(long seconds) {
        return NOW.minusSeconds(seconds).toString();
    }
}
