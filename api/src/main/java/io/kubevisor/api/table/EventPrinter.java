package io.kubevisor.api.table;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/**
 * {@code kubectl get events}: LAST SEEN TYPE REASON OBJECT MESSAGE, and wide SUBOBJECT SOURCE
 * FIRST SEEN COUNT NAME. Serves core/v1 and events.k8s.io/v1 events, whose fields differ in
 * name only (regarding/involvedObject, note/message, deprecated* timestamps).
 */
final class EventPrinter implements TablePrinter {

    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.string("Last Seen", "The time at which the most recent occurrence of this event was "
                    + "recorded."),
            ColumnDefinition.string("Type", "Type of this event (Normal, Warning), new types could be added in the "
                    + "future"),
            ColumnDefinition.string("Reason", "This should be a short, machine understandable string that gives the "
                    + "reason for the transition into the object's current status."),
            ColumnDefinition.string("Object", "The object that this event is about."),
            ColumnDefinition.wide("Subobject", "If referring to a piece of an object instead of an entire object, "
                    + "this string should contain a valid JSON/Go field access statement."),
            ColumnDefinition.wide("Source", "The component reporting this event. Should be a short machine "
                    + "understandable string."),
            ColumnDefinition.string("Message", "A human-readable description of the status of this operation."),
            ColumnDefinition.wide("First Seen", "The time at which the event was first recorded."),
            ColumnDefinition.wide("Count", "The number of times this event has occurred."),
            new ColumnDefinition("Name", "string", "name", ColumnDefinition.NAME_DOC, 1));

    /** JSON field names of one event API version. */
    private record Fields(String involvedObject, String message, String firstTimestamp, String lastTimestamp,
                          String count, String source) {
    }

    private static final Fields CORE = new Fields("involvedObject", "message", "firstTimestamp", "lastTimestamp",
            "count", "source");
    private static final Fields EVENTS_V1 = new Fields("regarding", "note", "deprecatedFirstTimestamp",
            "deprecatedLastTimestamp", "deprecatedCount", "deprecatedSource");

    private final Fields fields;

    private EventPrinter(Fields fields) {
        this.fields = fields;
    }

    static EventPrinter core() {
        return new EventPrinter(CORE);
    }

    static EventPrinter eventsV1() {
        return new EventPrinter(EVENTS_V1);
    }

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode e, Instant now) {
        Instant first = Cells.time(e, "/" + fields.firstTimestamp());
        String firstSeen = first != null ? Cells.since(first, now) : Cells.since(Cells.time(e, "/eventTime"), now);
        Instant last = Cells.time(e, "/" + fields.lastTimestamp());
        String lastSeen = last != null ? Cells.since(last, now) : firstSeen;
        long count = e.path(fields.count()).asLong(0);
        JsonNode series = e.path("series");
        if (series.isObject()) {
            lastSeen = Cells.since(Cells.time(series, "/lastObservedTime"), now);
            count = series.path("count").asLong(0);
        } else if (count == 0) {
            // Singleton events of the new API carry no count.
            count = 1;
        }
        JsonNode target = e.path(fields.involvedObject());
        String kind = target.path("kind").asString("").toLowerCase(Locale.ROOT);
        String name = target.path("name").asString("");
        String object = name.isEmpty() ? kind : kind + "/" + name;
        JsonNode source = e.path(fields.source());
        String component = firstNonEmpty(source.path("component").asString(""),
                e.path("reportingController").asString(""));
        String host = firstNonEmpty(source.path("host").asString(""), e.path("reportingInstance").asString(""));
        String sourceText = host.isEmpty() ? component : component + ", " + host;
        return List.of(lastSeen, e.path("type").asString(""), e.path("reason").asString(""), object,
                target.path("fieldPath").asString(""), sourceText, e.path(fields.message()).asString("").strip(),
                firstSeen, count, Cells.name(e));
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}
