package io.kubevisor.apiserver.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.kubevisor.api.schema.FieldSchema;

/**
 * A set of field paths stored as a trie, like structured-merge-diff's {@code fieldpath.Set}:
 * {@code members} are paths that end at this node, {@code children} hold longer paths. The empty
 * path (the whole object) is never a member. Mutable only through {@link #insert}; the set
 * operations return new sets. Not thread-safe.
 */
public final class FieldSet {

    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    /** A new empty set. */
    public static FieldSet empty() {
        return new FieldSet();
    }

    /** A set holding the given paths. */
    @SafeVarargs
    public static FieldSet of(List<PathElement>... paths) {
        FieldSet s = new FieldSet();
        for (List<PathElement> p : paths) {
            s.insert(p);
        }
        return s;
    }

    /** Adds a path; the empty path is ignored. */
    public void insert(List<PathElement> path) {
        if (path.isEmpty()) {
            return;
        }
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.computeIfAbsent(path.get(i), k -> new FieldSet());
        }
        node.members.add(path.getLast());
    }

    /** Whether the path is a member. */
    public boolean has(List<PathElement> path) {
        if (path.isEmpty()) {
            return false;
        }
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.get(path.get(i));
            if (node == null) {
                return false;
            }
        }
        return node.members.contains(path.getLast());
    }

    /** Whether the set holds no path. */
    public boolean isEmpty() {
        if (!members.isEmpty()) {
            return false;
        }
        for (FieldSet c : children.values()) {
            if (!c.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The paths below {@code pe}, without {@code pe}; empty when there are none. */
    public FieldSet withPrefix(PathElement pe) {
        FieldSet c = children.get(pe);
        return c == null ? new FieldSet() : c;
    }

    TreeSet<PathElement> members() {
        return members;
    }

    TreeMap<PathElement, FieldSet> children() {
        return children;
    }

    /** Paths in either set; a new set. */
    public FieldSet union(FieldSet o) {
        FieldSet out = copy();
        out.addAll(o);
        return out;
    }

    private void addAll(FieldSet o) {
        members.addAll(o.members);
        for (Map.Entry<PathElement, FieldSet> e : o.children.entrySet()) {
            children.computeIfAbsent(e.getKey(), k -> new FieldSet()).addAll(e.getValue());
        }
    }

    /** Paths in this set and not in {@code o} (exact paths: removing a path keeps its children); a new set. */
    public FieldSet difference(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (!o.members.contains(m)) {
                out.members.add(m);
            }
        }
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            FieldSet other = o.children.get(e.getKey());
            FieldSet d = other == null ? e.getValue().copy() : e.getValue().difference(other);
            if (!d.isEmpty()) {
                out.children.put(e.getKey(), d);
            }
        }
        return out;
    }

    /** Paths in both sets; a new set. */
    public FieldSet intersection(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (o.members.contains(m)) {
                out.members.add(m);
            }
        }
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            FieldSet other = o.children.get(e.getKey());
            if (other != null) {
                FieldSet i = e.getValue().intersection(other);
                if (!i.isEmpty()) {
                    out.children.put(e.getKey(), i);
                }
            }
        }
        return out;
    }

    /** A deep copy. */
    public FieldSet copy() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((k, v) -> out.children.put(k, v.copy()));
        return out;
    }

    /** Visits every path: this node's members first, then each child's paths, all in order. */
    public void forEach(Consumer<List<PathElement>> visitor) {
        forEach(new ArrayList<>(), visitor);
    }

    private void forEach(List<PathElement> prefix, Consumer<List<PathElement>> visitor) {
        for (PathElement m : members) {
            List<PathElement> p = new ArrayList<>(prefix);
            p.add(m);
            visitor.accept(List.copyOf(p));
        }
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            prefix.add(e.getKey());
            e.getValue().forEach(prefix, visitor);
            prefix.removeLast();
        }
    }

    /** All paths, in iteration order. */
    public List<List<PathElement>> paths() {
        List<List<PathElement>> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    /**
     * This set plus, at every node, the declared struct fields that have children as members:
     * prune must treat a struct field as owned when fields below it are.
     */
    FieldSet ensureNamedFieldsAreMembers(FieldSchema schema) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            PathElement pe = e.getKey();
            FieldSchema childSchema = null;
            if (pe instanceof PathElement.Field f && Shape.isStruct(schema)) {
                if (schema.properties().containsKey(f.name())) {
                    out.members.add(pe);
                }
                childSchema = schema.properties().get(f.name());
            } else if (pe instanceof PathElement.Field && schema != null && schema.type() == FieldSchema.Type.MAP) {
                childSchema = schema.items();
            } else if (pe instanceof PathElement.Key && schema != null && schema.type() == FieldSchema.Type.LIST) {
                childSchema = schema.items();
            }
            out.children.put(pe, e.getValue().ensureNamedFieldsAreMembers(childSchema));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet s && paths().equals(s.paths());
    }

    @Override
    public int hashCode() {
        return paths().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        forEach(p -> sb.append(PathElement.toString(p)).append('\n'));
        return sb.toString();
    }
}
