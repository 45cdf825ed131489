package io.kubevisor.runtime.net;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a node's pod network is laid out.
 *
 * @param podCidr            the node's pod address range, e.g. 10.244.0.0/16
 * @param subnetPrefixLength the size of each Kubernetes namespace's subnet carved from
 *                           {@code podCidr} (24 by default: 253 pods per namespace)
 * @param namePrefix         prefix of every network namespace this node creates, e.g.
 *                           {@code kv1a2b}; two agents (or test runs) on one host need different
 *                           prefixes. {@code null} means: the one recorded in the state directory,
 *                           or a fresh random one recorded there
 * @param stateDir           where the address allocations are persisted
 * @param commandTimeout     how long one {@code ip} command may take before it is killed
 */
public record PodNetworkOptions(Ipv4Cidr podCidr, int subnetPrefixLength, String namePrefix, Path stateDir,
                                Duration commandTimeout) {

    /** Letters and digits only, short enough that derived names stay readable. */
    static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{1,11}");

    public PodNetworkOptions {
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (subnetPrefixLength < podCidr.prefixLength() || subnetPrefixLength > 30) {
            throw new IllegalArgumentException("subnet prefix /" + subnetPrefixLength
                    + " must lie between the pod CIDR's /" + podCidr.prefixLength() + " and /30");
        }
        if (namePrefix != null && !PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("name prefix must match " + PREFIX + ": " + namePrefix);
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("command timeout must be positive");
        }
    }

    /** A /24 per namespace and a 10 s command timeout. */
    public PodNetworkOptions(String podCidr, String namePrefix, Path stateDir) {
        this(Ipv4Cidr.parse(podCidr), 24, namePrefix, stateDir, Duration.ofSeconds(10));
    }

    /** A fresh {@code kv<4 hex>} prefix, e.g. for a test run. */
    public static String randomPrefix() {
        byte[] b = new byte[2];
        new SecureRandom().nextBytes(b);
        return "kv" + HexFormat.of().formatHex(b);
    }
}
