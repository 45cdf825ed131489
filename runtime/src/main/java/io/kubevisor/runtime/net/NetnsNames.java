package io.kubevisor.runtime.net;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How the node names what it creates, all derived from one prefix so that a restarted agent
 * (or a test's cleanup) finds its own objects and nobody else's:
 * <ul>
 *   <li>pod netns {@code <prefix>-p-<uid>} (the uid verbatim when it is a DNS-label-like token,
 *       else {@code h<hash>});</li>
 *   <li>bridge netns {@code <prefix>-b-<namespace>} holding bridge {@code br0};</li>
 *   <li>the pod's veth end on the bridge: {@code v<12 hex of sha256(uid)>} (15-byte limit of
 *       interface names; it lives only inside the bridge netns, so it cannot clash with host
 *       links).</li>
 * </ul>
 *
 * @param prefix the node's prefix, e.g. kv1a2b
 */
record NetnsNames(String prefix) {

    static final Path NETNS_DIR = Path.of("/var/run/netns");
    static final String BRIDGE = "br0";
    static final String POD_IF = "eth0";

    private static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    String podNetns(String uid) {
        return podPrefix() + token(uid);
    }

    String bridgeNetns(String namespace) {
        return bridgePrefix() + token(namespace);
    }

    String podPrefix() {
        return prefix + "-p-";
    }

    String bridgePrefix() {
        return prefix + "-b-";
    }

    String hostVeth(String uid) {
        return "v" + sha256Hex(uid).substring(0, 12);
    }

    static Path path(String netns) {
        return NETNS_DIR.resolve(netns);
    }

    /** Kubernetes uids and namespace names are tokens already; anything else is hashed. */
    private static String token(String s) {
        return TOKEN.matcher(s).matches() ? s : "h" + sha256Hex(s).substring(0, 24);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
