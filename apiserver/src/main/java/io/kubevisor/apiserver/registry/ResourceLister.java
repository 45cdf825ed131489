package io.kubevisor.apiserver.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kubevisor.api.ApiException;
import io.kubevisor.store.KeyValue;
import io.kubevisor.store.ListRequest;
import io.kubevisor.store.ListResult;
import io.kubevisor.store.StoreException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lists with Kubernetes' semantics: consistent pages at one revision, selectors applied
 * server-side, resourceVersion and resourceVersionMatch rules, 410 for expired continue tokens.
 */
public final class ResourceLister {

    private final ResourceStore resources;

    public ResourceLister(ResourceStore resources) {
        this.resources = resources;
    }

    /** Lists a namespace ("" = all namespaces, or a cluster-scoped resource). */
    public ListPage list(String namespace, ListOptions opts) {
        Collected<ObjectNode> c = collect(namespace, opts, resources::decode,
                obj -> Selection.matches(obj, opts, resources.strategy()));
        return new ListPage(c.items(), c.resourceVersion(), c.continueToken(), c.remainingItemCount());
    }

    /**
     * Lists as stored bytes with the resourceVersion spliced in, without decoding: for plain JSON
     * lists of resources served in their storage form, where selectors (other than on the name)
     * need no look inside.
     */
    public RawListPage listRaw(String namespace, ListOptions opts) {
        if (!opts.labels().isEmpty() || opts.fields().terms().stream()
                .anyMatch(t -> !t.equals() || !t.field().equals("metadata.name"))) {
            throw new IllegalArgumentException("a raw list cannot apply selectors");
        }
        Collected<byte[]> c = collect(namespace, opts, StoredForm::withResourceVersion, bytes -> true);
        return new RawListPage(c.items(), c.resourceVersion(), c.continueToken(), c.remainingItemCount());
    }

    /** One page of stored objects as JSON bytes. */
    public record RawListPage(List<byte[]> items, String resourceVersion, String continueToken,
                              Long remainingItemCount) {
    }

    private record Collected<T>(List<T> items, String resourceVersion, String continueToken, Long remainingItemCount) {
    }

    private <T> Collected<T> collect(String namespace, ListOptions opts, java.util.function.Function<KeyValue, T> decode,
                                     java.util.function.Predicate<T> keep) {
        long revision = 0;
        String startAfter = null;
        if (opts.continueToken() != null && !opts.continueToken().isEmpty()) {
            if (!opts.resourceVersion().isEmpty() && !opts.resourceVersion().equals("0")) {
                throw new ApiException.BadRequest("specifying resource version is not allowed when using continue");
            }
            ContinueToken token = ContinueToken.decode(opts.continueToken());
            revision = token.revision();
            startAfter = resources.collectionKey(namespace) + token.startAfter();
        } else {
            revision = requestedRevision(opts);
        }
        String prefix = resources.collectionKey(namespace);
        Optional<String> exactName = opts.fields().exact("metadata.name");
        long limit = Math.max(0, opts.limit());
        List<T> items = new ArrayList<>();
        long atRevision;
        String lastKey = null;
        boolean more;
        long remaining = 0;
        try {
            while (true) {
                // With a selector, read ahead in bigger chunks so a page can be filled.
                long chunk = limit == 0 ? 0 : opts.selects() ? Math.max(limit, 500) : limit - items.size();
                ListResult r = resources.store().list(new ListRequest(prefix, revision, chunk, startAfter));
                atRevision = r.revision();
                revision = r.revision();
                more = r.more();
                remaining = r.remaining();
                int consumed = 0;
                for (KeyValue kv : r.items()) {
                    consumed++;
                    lastKey = kv.key();
                    if (exactName.isPresent() && !kv.key().endsWith("/" + exactName.get())) {
                        continue;
                    }
                    T obj = decode.apply(kv);
                    if (!keep.test(obj)) {
                        continue;
                    }
                    items.add(obj);
                    if (limit > 0 && items.size() >= limit) {
                        break;
                    }
                }
                if (consumed < r.items().size()) {
                    more = true;
                    remaining += r.items().size() - consumed;
                }
                if (!more || (limit > 0 && items.size() >= limit) || limit == 0) {
                    break;
                }
                startAfter = lastKey;
            }
        } catch (StoreException.Compacted e) {
            if (opts.continueToken() != null && !opts.continueToken().isEmpty()) {
                throw new ApiException.Gone("The provided continue parameter is too old to display a consistent list "
                        + "result. You can start a new list without the continue parameter, or use the continue token "
                        + "in this response to retrieve the remainder of the results. Continuing with the provided "
                        + "token results in an inconsistent list - objects that were created, modified, or deleted "
                        + "between the time the first chunk was returned and now may show up in the list.");
            }
            throw new ApiException.Gone("The resourceVersion for the provided list is too old.");
        } catch (StoreException.FutureRevision e) {
            throw new ApiException.Timeout("Too large resource version: " + opts.resourceVersion() + ", current: "
                    + resources.store().currentRevision());
        }
        String token = null;
        Long remainingCount = null;
        if (more && lastKey != null) {
            token = new ContinueToken(atRevision, lastKey.substring(prefix.length())).encode();
            if (!opts.selects()) {
                remainingCount = remaining;
            }
        }
        return new Collected<>(items, Long.toString(atRevision), token, remainingCount);
    }

    private long requestedRevision(ListOptions opts) {
        String rv = opts.resourceVersion();
        if (rv.isEmpty() || rv.equals("0")) {
            return 0;
        }
        long n;
        try {
            n = Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("invalid resource version: " + rv);
        }
        if ("Exact".equals(opts.resourceVersionMatch())) {
            return n;
        }
        long current = resources.store().currentRevision();
        if (n > current) {
            throw new ApiException.Timeout("Too large resource version: " + n + ", current: " + current);
        }
        return 0;
    }
}
