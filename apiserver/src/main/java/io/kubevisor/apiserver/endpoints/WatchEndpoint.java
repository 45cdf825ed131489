package io.kubevisor.apiserver.endpoints;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.http.ResponseStream;
import io.kubevisor.http.WebSocketSession;
import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ObjectEvent;
import io.kubevisor.apiserver.registry.ObjectWatch;
import io.kubevisor.apiserver.registry.ResourceWatcher;
import io.kubevisor.store.StoreException;
import tools.jackson.databind.node.ObjectNode;

/**
 * A watch, streamed as one JSON event per line. Ends at {@code timeoutSeconds} (or a random
 * server timeout), when the client goes away, or when the store ends the watch.
 */
final class WatchEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(WatchEndpoint.class);
    private static final Duration BOOKMARK_EVERY = Duration.ofSeconds(60);

    private final ObjectRenderer renderer;
    private final Duration minRequestTimeout;

    WatchEndpoint(ObjectRenderer renderer, Duration minRequestTimeout) {
        this.renderer = renderer;
        this.minRequestTimeout = minRequestTimeout;
    }

    void serve(ResourceContext ctx) throws InterruptedException {
        ListOptions opts = ListOptionsParser.parse(ctx.query(), ctx.resources().strategy());
        if (!ctx.name().isEmpty()) {
            // GET /.../pods/x?watch=true: watch one object, as a field selector on its name.
            opts = new ListOptions(opts.labels(), io.kubevisor.apiserver.selection.FieldSelector.parse(
                    "metadata.name=" + ctx.name(), java.util.Set.of("metadata.name")), 0, null,
                    opts.resourceVersion(), opts.resourceVersionMatch());
        }
        boolean bookmarks = ctx.query().flag("allowWatchBookmarks");
        Boolean initialEvents = ctx.query().has("sendInitialEvents") ? ctx.query().flag("sendInitialEvents") : null;
        Duration timeout = ctx.query().number("timeoutSeconds").map(Duration::ofSeconds)
                .orElseGet(() -> minRequestTimeout.plusSeconds(
                        ThreadLocalRandom.current().nextLong(Math.max(1, minRequestTimeout.toSeconds()))));
        ObjectWatch watch;
        ObjectEvent gone = null;
        try {
            watch = new ResourceWatcher(ctx.resources()).watch(ctx.namespace(), opts, initialEvents);
        } catch (ApiException.Gone e) {
            // Kubernetes' watch cache answers 200 and an ERROR event carrying the 410 Status.
            watch = null;
            gone = ObjectWatch.error(e);
        }
        ResponseStream out = open(ctx);
        try {
            if (gone != null) {
                write(out, renderer.event(ctx, gone, true));
                return;
            }
            ObjectWatch w = watch;
            out.onClose(w::close);
            long deadline = System.nanoTime() + timeout.toNanos();
            long nextBookmark = System.nanoTime() + BOOKMARK_EVERY.toNanos();
            boolean first = true;
            while (out.isOpen()) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                long wait = Math.min(deadline - now, Duration.ofSeconds(5).toNanos());
                ObjectEvent e;
                try {
                    e = w.next(Duration.ofNanos(wait), bookmarks);
                } catch (StoreException.WatchClosed closed) {
                    break;
                }
                if (e == null) {
                    if (bookmarks && System.nanoTime() >= nextBookmark) {
                        e = w.bookmarkNow();
                    } else {
                        continue;
                    }
                }
                if (e.type() == ObjectEvent.Type.BOOKMARK) {
                    if (!bookmarks && !isInitialEventsEnd(e)) {
                        continue;
                    }
                    nextBookmark = System.nanoTime() + BOOKMARK_EVERY.toNanos();
                }
                ObjectEvent event = e;
                boolean columns = first;
                byte[] line = ctx.resources().sharedEventLine(e, renderingKey(ctx, first),
                        () -> encode(renderer.event(ctx, event, columns)));
                if (!out.write(line)) {
                    break;
                }
                if (e.type() != ObjectEvent.Type.BOOKMARK) {
                    first = false;
                }
            }
        } finally {
            if (watch != null) {
                watch.close();
            }
            out.close();
            LOG.debug("event=watch_ended resource={} namespace={}", ctx.type().plural(), ctx.namespace());
        }
    }

    /**
     * A chunked response, or for a WebSocket request (fabric8's default) one text message per
     * event, as kube-apiserver does.
     */
    private static ResponseStream open(ResourceContext ctx) {
        if (ctx.exchange().wantsWebSocket()) {
            String offered = ctx.exchange().headers().get("Sec-WebSocket-Protocol");
            String protocol = offered == null || offered.isBlank() ? null : offered.split(",")[0].trim();
            WebSocketSession ws = ctx.exchange().upgradeToWebSocket(protocol);
            if (ws != null) {
                return ws.asTextStream();
            }
        }
        return ctx.exchange().stream(200, Responses.headers("application/json"));
    }

    private static boolean isInitialEventsEnd(ObjectEvent e) {
        return "true".equals(e.object().path("metadata").path("annotations").path("k8s.io/initial-events-end")
                .asString(""));
    }

    private static boolean write(ResponseStream out, ObjectNode event) {
        return out.write(encode(event));
    }

    private static byte[] encode(ObjectNode event) {
        return (Json.string(event) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** What, besides the change, decides an event's bytes: watchers alike in this share them. */
    private static String renderingKey(ResourceContext ctx, boolean first) {
        return switch (ctx.rendering()) {
            case io.kubevisor.apiserver.request.Rendering.AsTable t -> "table/" + t.version() + "/"
                    + ctx.query().get("includeObject", "") + "/" + first;
            case io.kubevisor.apiserver.request.Rendering.AsMetadata m -> "metadata/" + m.version();
            default -> "json";
        };
    }
}
