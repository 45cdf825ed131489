package io.kubevisor.runtime.net;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.kubevisor.api.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The allocator's state file, {@code <stateDir>/ipam.json}, replaced atomically (write to a
 * temporary file, fsync, rename) so a crash leaves the old or the new version, never a torn
 * one. Callers serialize access (the {@link Ipam} lock).
 *
 * <pre>
 * {"version":1,"prefix":"kv1a2b","podCidr":"10.244.0.0/16","subnetPrefixLength":24,"seq":3,
 *  "namespaces":{"team-a":{"subnet":"10.244.0.0/24","nextOffset":4,"emptiedSeq":0}},
 *  "pods":{"&lt;uid&gt;":{"namespace":"team-a","name":"web","ip":"10.244.0.2","ready":true}}}
 * </pre>
 */
final class IpamFile {

    static final String NAME = "ipam.json";
    private static final int VERSION = 1;

    /** Everything the file holds. */
    record State(String prefix, Ipv4Cidr podCidr, int subnetPrefixLength, long seq,
                 Map<String, Ipam.Segment> segments, Map<String, Lease> pods) {
    }

    private final Path dir;
    private final Path path;

    IpamFile(Path stateDir) {
        this.dir = stateDir;
        this.path = stateDir.resolve(NAME);
    }

    Path path() {
        return path;
    }

    /** The recorded state, or empty when no file exists yet. */
    Optional<State> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PodNetworkException.StateInvalid("cannot read " + path + ": " + e.getMessage(), e);
        }
        try {
            return Optional.of(decode(Json.MAPPER.readTree(bytes)));
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new PodNetworkException.StateInvalid("cannot parse " + path + ": " + e.getMessage()
                    + "; move the file away to start over (the pods on this node then need re-attaching)", e);
        }
    }

    private State decode(JsonNode root) {
        int version = root.required("version").asInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported version " + version);
        }
        var podCidr = Ipv4Cidr.parse(root.required("podCidr").asString());
        int subnetPrefix = root.required("subnetPrefixLength").asInt();
        var segments = new LinkedHashMap<String, Ipam.Segment>();
        for (var e : root.required("namespaces").properties()) {
            var n = e.getValue();
            var subnet = Ipv4Cidr.parse(n.required("subnet").asString());
            if (subnet.prefixLength() != subnetPrefix || !podCidr.contains(subnet.network())) {
                throw new IllegalArgumentException("subnet " + subnet + " of " + e.getKey() + " is not a /"
                        + subnetPrefix + " of " + podCidr);
            }
            int index = (int) (podCidr.offsetOf(subnet.network()) >>> (32 - subnetPrefix));
            segments.put(e.getKey(), new Ipam.Segment(index, n.required("nextOffset").asLong(),
                    n.required("emptiedSeq").asLong()));
        }
        var pods = new LinkedHashMap<String, Lease>();
        for (var e : root.required("pods").properties()) {
            var n = e.getValue();
            String ns = n.required("namespace").asString();
            var seg = segments.get(ns);
            if (seg == null) {
                throw new IllegalArgumentException("pod " + e.getKey() + " is in namespace " + ns
                        + ", which has no subnet");
            }
            var subnet = podCidr.subnet(subnetPrefix, seg.subnetIndex());
            pods.put(e.getKey(), new Lease(e.getKey(), ns, n.required("name").asString(), subnet,
                    Ipv4Cidr.parseAddress(n.required("ip").asString()), n.required("ready").asBoolean()));
        }
        return new State(root.required("prefix").asString(), podCidr, subnetPrefix, root.required("seq").asLong(),
                segments, pods);
    }

    /** Replaces the file with the given state. */
    void save(State s) {
        var root = Json.object();
        root.put("version", VERSION);
        root.put("prefix", s.prefix());
        root.put("podCidr", s.podCidr().toString());
        root.put("subnetPrefixLength", s.subnetPrefixLength());
        root.put("seq", s.seq());
        var nss = root.putObject("namespaces");
        for (var e : s.segments().entrySet()) {
            var n = nss.putObject(e.getKey());
            n.put("subnet", s.podCidr().subnet(s.subnetPrefixLength(), e.getValue().subnetIndex()).toString());
            n.put("nextOffset", e.getValue().nextOffset());
            n.put("emptiedSeq", e.getValue().emptiedSeq());
        }
        var pods = root.putObject("pods");
        for (var lease : s.pods().values()) {
            var n = pods.putObject(lease.uid());
            n.put("namespace", lease.namespace());
            n.put("name", lease.name());
            n.put("ip", lease.ip());
            n.put("ready", lease.ready());
        }
        var tmp = dir.resolve(NAME + ".tmp");
        try {
            Files.createDirectories(dir);
            try (var ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(Json.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(root)));
                ch.force(true);
            }
            // No fsync of the directory: the rename need not survive a power loss, because nothing
            // this file describes does (network namespaces live in /run, and no sandbox outlives
            // a reboot; the next start releases the addresses of pods not running). A crashed agent
            // loses nothing it wrote. The data's fsync above stays: a power loss must leave the
            // old or the new file, never a torn one the next start could not read.
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PodNetworkException.StateInvalid("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
