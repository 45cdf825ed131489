package io.kubevisor.apiserver.endpoints;

import java.util.List;

import io.kubevisor.api.Json;
import io.kubevisor.apiserver.registry.ListPage;
import io.kubevisor.apiserver.registry.ObjectEvent;
import io.kubevisor.apiserver.request.Rendering;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Renders objects, lists and watch events in the negotiated form (object, Table, metadata). */
public final class ObjectRenderer {

    private final TableConverter tables;

    public ObjectRenderer(TableConverter tables) {
        this.tables = tables;
    }

    /** One object (GET, create, update, patch, delete responses). */
    public void one(ResourceContext ctx, int status, ObjectNode obj) {
        Responses.send(ctx.exchange(), status, renderOne(ctx, obj), ctx.rendering(), ctx.warnings());
    }

    ObjectNode renderOne(ResourceContext ctx, ObjectNode obj) {
        return switch (ctx.rendering()) {
            case Rendering.AsTable t -> tables.table(ctx.type(), t.version(), List.of(obj), null, null, true,
                    ctx.query().get("includeObject", ""));
            case Rendering.AsMetadata m -> partial(obj, m.version());
            case Rendering.AsJson j -> obj;
            case Rendering.AsYaml y -> obj;
        };
    }

    /** A list page. */
    public void list(ResourceContext ctx, ListPage page) {
        ObjectNode body = switch (ctx.rendering()) {
            case Rendering.AsTable t -> tables.table(ctx.type(), t.version(), page.items(), page.resourceVersion(),
                    page.continueToken(), true, ctx.query().get("includeObject", ""));
            case Rendering.AsMetadata m -> {
                ObjectNode l = listShell(page, "PartialObjectMetadataList", "meta.k8s.io/" + m.version());
                ArrayNode items = l.putArray("items");
                page.items().forEach(o -> items.add(partial(o, m.version())));
                yield l;
            }
            default -> {
                ObjectNode l = listShell(page, ctx.type().listKind(), ctx.type().apiVersion());
                ArrayNode items = l.putArray("items");
                page.items().forEach(items::add);
                yield l;
            }
        };
        Responses.send(ctx.exchange(), 200, body, ctx.rendering(), ctx.warnings());
    }

    /** A list page of stored bytes, written around them without decoding. */
    public void rawList(ResourceContext ctx, io.kubevisor.apiserver.registry.ResourceLister.RawListPage page) {
        ObjectNode shell = listShell(new ListPage(java.util.List.of(), page.resourceVersion(), page.continueToken(),
                page.remainingItemCount()), ctx.type().listKind(), ctx.type().apiVersion());
        byte[] head = Json.bytes(shell);
        long size = head.length + 12L;
        for (byte[] item : page.items()) {
            size += item.length + 1;
        }
        var out = new java.io.ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size));
        // {"kind":...,"metadata":{...}} → {"kind":...,"metadata":{...},"items":[...]}
        out.write(head, 0, head.length - 1);
        out.writeBytes(",\"items\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        boolean first = true;
        for (byte[] item : page.items()) {
            if (!first) {
                out.write(',');
            }
            out.writeBytes(item);
            first = false;
        }
        out.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ctx.exchange().respond(200, Responses.headers("application/json"), out.toByteArray());
    }

    private static ObjectNode listShell(ListPage page, String kind, String apiVersion) {
        ObjectNode l = Json.object();
        l.put("kind", kind);
        l.put("apiVersion", apiVersion);
        ObjectNode m = l.putObject("metadata");
        m.put("resourceVersion", page.resourceVersion());
        if (page.continueToken() != null) {
            m.put("continue", page.continueToken());
        }
        if (page.remainingItemCount() != null) {
            m.put("remainingItemCount", page.remainingItemCount());
        }
        return l;
    }

    /** The JSON line of one watch event. */
    public ObjectNode event(ResourceContext ctx, ObjectEvent e, boolean first) {
        ObjectNode out = Json.object();
        out.put("type", e.type().name());
        ObjectNode obj = e.object();
        if (e.type() != ObjectEvent.Type.ERROR) {
            obj = switch (ctx.rendering()) {
                case Rendering.AsTable t -> e.type() == ObjectEvent.Type.BOOKMARK
                        ? bookmarkTable(e.object(), t.version())
                        : tables.table(ctx.type(), t.version(), List.of(obj), null, null, first,
                        ctx.query().get("includeObject", ""));
                case Rendering.AsMetadata m -> partial(obj, m.version());
                default -> obj;
            };
        }
        out.set("object", obj);
        return out;
    }

    private static ObjectNode bookmarkTable(ObjectNode bookmark, String version) {
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/" + version);
        t.set("metadata", bookmark.path("metadata").deepCopy());
        t.putArray("columnDefinitions");
        t.putArray("rows");
        return t;
    }

    static ObjectNode partial(ObjectNode obj, String version) {
        ObjectNode p = Json.object();
        p.put("kind", "PartialObjectMetadata");
        p.put("apiVersion", "meta.k8s.io/" + version);
        p.set("metadata", obj.path("metadata").deepCopy());
        return p;
    }
}
