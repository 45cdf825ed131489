package io.kubevisor.runtime.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Address allocation for one node: a subnet of {@code subnetPrefixLength} per Kubernetes
 * namespace carved out of the pod CIDR, and in it one address per pod. Host 0 is the network,
 * host 1 the namespace's gateway (its bridge), the last host the broadcast address; pods get the
 * rest. Every change is written to the state file before it is returned, so a restarted agent
 * hands out no address twice.
 *
 * <p>A namespace keeps its subnet after its last pod leaves, so its pods' addresses stay in one
 * recognisable range; an emptied namespace's subnet is reclaimed (oldest emptied first) only when
 * no subnet was ever unassigned. Inside a subnet addresses are handed out round-robin, so a
 * released address is not reused at once by the next pod.
 *
 * <p>Thread-safe: every method is synchronized; the critical sections do no process work.
 */
final class Ipam {

    /** Per-namespace bookkeeping: its subnet, where the next search starts, when it emptied. */
    record Segment(int subnetIndex, long nextOffset, long emptiedSeq) {
    }

    private final IpamFile file;
    private final Ipv4Cidr podCidr;
    private final int subnetPrefix;
    private String prefix;
    private long seq;
    private final Map<String, Segment> segments = new LinkedHashMap<>();
    private final Map<String, Lease> pods = new LinkedHashMap<>();
    private final Map<String, Set<Integer>> used = new HashMap<>();

    Ipam(IpamFile file, Ipv4Cidr podCidr, int subnetPrefix, String prefix) {
        this.file = file;
        this.podCidr = podCidr;
        this.subnetPrefix = subnetPrefix;
        this.prefix = prefix;
        reload();
    }

    /** The node's name prefix: the configured one, else the one recorded, else a new random one. */
    synchronized String prefix() {
        return prefix;
    }

    /** Drops the in-memory view and reads the state file again (or starts empty if there is none). */
    synchronized void reload() {
        segments.clear();
        pods.clear();
        used.clear();
        seq = 0;
        var loaded = file.load();
        if (loaded.isEmpty()) {
            if (prefix == null) {
                prefix = PodNetworkOptions.randomPrefix();
            }
            save();
            return;
        }
        var s = loaded.get();
        if (!s.podCidr().equals(podCidr) || s.subnetPrefixLength() != subnetPrefix) {
            throw new PodNetworkException.StateInvalid("state file " + file.path() + " was written for pod CIDR "
                    + s.podCidr() + " with /" + s.subnetPrefixLength() + " subnets, but this node is configured for "
                    + podCidr + " with /" + subnetPrefix + "; move the file away to start over", null);
        }
        if (prefix != null && !prefix.equals(s.prefix())) {
            throw new PodNetworkException.StateInvalid("state file " + file.path() + " belongs to name prefix "
                    + s.prefix() + ", not " + prefix + "; two agents must not share a state directory", null);
        }
        prefix = s.prefix();
        seq = s.seq();
        segments.putAll(s.segments());
        for (var lease : s.pods().values()) {
            var seg = segments.get(lease.namespace());
            if (seg == null || !subnetOf(seg).equals(lease.subnet())) {
                throw new PodNetworkException.StateInvalid("state file " + file.path() + ": pod " + lease.uid()
                        + " has " + lease.ip() + " outside its namespace's subnet", null);
            }
            int offset = (int) lease.subnet().offsetOf(lease.address());
            if (!used.computeIfAbsent(lease.namespace(), k -> new HashSet<>()).add(offset)) {
                throw new PodNetworkException.StateInvalid("state file " + file.path() + ": " + lease.ip()
                        + " is recorded twice", null);
            }
            pods.put(lease.uid(), lease);
        }
    }

    /**
     * The pod's lease: the recorded one if the uid has one, else a new address in its
     * namespace's subnet (assigning the namespace a subnet first if it has none).
     *
     * @throws IllegalArgumentException if the uid is recorded under another namespace
     * @throws PodNetworkException.AddressesExhausted when the subnet or the pod CIDR is full
     */
    synchronized Lease allocate(PodNetworkRequest req) {
        return allocate(req, true);
    }

    /**
     * {@link #allocate}'s lease without writing the state file: the address is taken in this
     * process only until a write records it ({@link #markReady}, or any other), or
     * {@link #release} frees it. For an address that nothing uses yet: a crash forgets it, and
     * leaves nothing that a restart would have to clean up.
     */
    synchronized Lease reserve(PodNetworkRequest req) {
        return allocate(req, false);
    }

    private Lease allocate(PodNetworkRequest req, boolean write) {
        var existing = pods.get(req.uid());
        if (existing != null) {
            if (!existing.namespace().equals(req.namespace())) {
                throw new IllegalArgumentException("pod uid " + req.uid() + " is already attached in namespace "
                        + existing.namespace() + ", not " + req.namespace());
            }
            return existing;
        }
        var segmentsBefore = new LinkedHashMap<>(segments);
        var seg = segments.get(req.namespace());
        if (seg == null) {
            seg = new Segment(freeSubnetIndex(req.namespace()), 2, 0);
        }
        var subnet = subnetOf(seg);
        var taken = used.computeIfAbsent(req.namespace(), k -> new HashSet<>());
        long first = 2;
        long last = subnet.size() - 2;
        long span = last - first + 1;
        long start = seg.nextOffset() < first || seg.nextOffset() > last ? first : seg.nextOffset();
        for (long i = 0; i < span; i++) {
            long offset = first + (start - first + i) % span;
            if (!taken.contains((int) offset)) {
                var lease = new Lease(req.uid(), req.namespace(), req.name(), subnet, subnet.host(offset), false);
                taken.add((int) offset);
                pods.put(req.uid(), lease);
                segments.put(req.namespace(), new Segment(seg.subnetIndex(), offset + 1, 0));
                if (write) {
                    try {
                        save();
                    } catch (RuntimeException e) {
                        // Unrecorded addresses must not be handed out: a restart would give them again.
                        taken.remove((int) offset);
                        pods.remove(req.uid());
                        segments.clear();
                        segments.putAll(segmentsBefore);
                        throw e;
                    }
                }
                return lease;
            }
        }
        throw new PodNetworkException.AddressesExhausted("no free address left in " + subnet + " of namespace "
                + req.namespace() + " (" + span + " pods)");
    }

    /** Records that the pod's network was completed. */
    synchronized Lease markReady(String uid) {
        var lease = pods.get(uid);
        if (lease == null) {
            throw new PodNetworkException.UnknownPod(uid);
        }
        if (!lease.ready()) {
            var pending = lease;
            lease = lease.asReady();
            pods.put(uid, lease);
            try {
                save();
            } catch (RuntimeException e) {
                pods.put(uid, pending);
                throw e;
            }
        }
        return lease;
    }

    synchronized Optional<Lease> find(String uid) {
        return Optional.ofNullable(pods.get(uid));
    }

    synchronized List<Lease> leases() {
        return List.copyOf(pods.values());
    }

    /** Whether any pod of the namespace holds an address. */
    synchronized boolean hasPods(String namespace) {
        var taken = used.get(namespace);
        return taken != null && !taken.isEmpty();
    }

    /** Frees the pod's address; returns the lease it had, if any. Idempotent. */
    synchronized Optional<Lease> release(String uid) {
        var lease = pods.remove(uid);
        if (lease == null) {
            return Optional.empty();
        }
        var taken = used.get(lease.namespace());
        taken.remove((int) lease.subnet().offsetOf(lease.address()));
        if (taken.isEmpty()) {
            used.remove(lease.namespace());
            var seg = segments.get(lease.namespace());
            segments.put(lease.namespace(), new Segment(seg.subnetIndex(), seg.nextOffset(), ++seq));
        }
        save();
        return Optional.of(lease);
    }

    /** The namespace's subnet, if it was assigned one. */
    synchronized Optional<Ipv4Cidr> subnet(String namespace) {
        return Optional.ofNullable(segments.get(namespace)).map(this::subnetOf);
    }

    private Ipv4Cidr subnetOf(Segment seg) {
        return podCidr.subnet(subnetPrefix, seg.subnetIndex());
    }

    private int freeSubnetIndex(String namespace) {
        var assigned = new HashSet<Integer>();
        for (var seg : segments.values()) {
            assigned.add(seg.subnetIndex());
        }
        long count = podCidr.subnetCount(subnetPrefix);
        for (int i = 0; i < count; i++) {
            if (!assigned.contains(i)) {
                return i;
            }
        }
        // Every subnet was assigned once: take the one whose namespace emptied longest ago.
        String oldest = null;
        long oldestSeq = Long.MAX_VALUE;
        for (var e : segments.entrySet()) {
            boolean empty = !hasPods(e.getKey());
            if (empty && e.getValue().emptiedSeq() < oldestSeq) {
                oldest = e.getKey();
                oldestSeq = e.getValue().emptiedSeq();
            }
        }
        if (oldest == null) {
            throw new PodNetworkException.AddressesExhausted("no subnet left in " + podCidr + " for namespace "
                    + namespace + ": all " + count + " /" + subnetPrefix + " subnets belong to namespaces with pods");
        }
        return segments.remove(oldest).subnetIndex();
    }

    private void save() {
        file.save(new IpamFile.State(prefix, podCidr, subnetPrefix, seq, new LinkedHashMap<>(segments),
                new LinkedHashMap<>(pods)));
    }

    /** Test hook: the namespaces that hold a subnet. */
    synchronized List<String> namespaces() {
        return new ArrayList<>(segments.keySet());
    }
}
