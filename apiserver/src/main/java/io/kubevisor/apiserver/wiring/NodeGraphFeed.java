package io.kubevisor.apiserver.wiring;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.apiserver.auth.node.NodeGraph;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ObjectEvent;
import io.kubevisor.apiserver.registry.ResourceLister;
import io.kubevisor.apiserver.registry.ResourceStore;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps a {@link NodeGraph} in step with the pods: one watch of all pods from a virtual thread,
 * started with every pod as ADDED, then each change applied; after a failed watch the graph is
 * cleared and loaded again. Until then, and whenever the watch lags, the graph's lookups fall back
 * to the store ({@link #podsOnNode}). Thread-safe; close stops the watch.
 */
public final class NodeGraphFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeGraphFeed.class);

    private final ResourceStore pods;
    private final NodeGraph graph;
    private final Thread watcher;
    private volatile boolean closed;

    /** @param pods the store of v1 pods */
    public NodeGraphFeed(ResourceStore pods) {
        this.pods = pods;
        this.graph = new NodeGraph(this::podsOnNode);
        this.watcher = ResourceFollower.start("node-graph-watch", pods, null, () -> closed,
                new ResourceFollower.View() {
                    @Override
                    public void beginning() {
                        graph.clear();
                    }

                    @Override
                    public boolean changed(ObjectEvent event) {
                        return NodeGraphFeed.this.changed(event);
                    }
                });
    }

    public NodeGraph graph() {
        return graph;
    }

    /** The namespace's pods bound to the node, straight from the store (every pod of the namespace is read). */
    private List<ObjectNode> podsOnNode(String namespace, String node) {
        return new ResourceLister(pods).list(namespace, ListOptions.everything()).items().stream()
                .filter(p -> node.equals(Nodes.text(p.path("spec"), "nodeName")))
                .toList();
    }

    /** Applies a pod's change; an ERROR (e.g. a compacted revision) asks for a new watch. */
    private boolean changed(ObjectEvent e) {
        switch (e.type()) {
            case ADDED, MODIFIED -> graph.put(e.object());
            case DELETED -> graph.remove(e.object());
            case ERROR -> {
                LOG.info("event=node_graph_watch_restart status=\"{}\"", e.object().path("message").asString(""));
                return false;
            }
            case BOOKMARK -> {
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
    }
}
