package io.kubevisor.runtime.net;

import java.util.regex.Pattern;

/**
 * An IPv4 network in CIDR form, e.g. {@code 10.244.0.0/16}. The address is held as the 32 bits
 * of the network (host bits cleared on parse).
 *
 * @param network      the network address as an unsigned 32-bit value in an int
 * @param prefixLength 0..32
 */
public record Ipv4Cidr(int network, int prefixLength) {

    private static final Pattern DOTTED = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        network &= mask(prefixLength);
    }

    /**
     * Parses {@code a.b.c.d/n}; rejects host bits set, so a typo such as 10.244.1.0/16 is
     * reported instead of silently widened.
     */
    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (a.b.c.d/n): " + text);
        }
        int addr = parseAddress(text.substring(0, slash));
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR (a.b.c.d/n): " + text);
        }
        if (len < 0 || len > 32) {
            throw new IllegalArgumentException("prefix length out of range in " + text);
        }
        if ((addr & ~mask(len)) != 0) {
            throw new IllegalArgumentException("host bits set in " + text + "; did you mean "
                    + new Ipv4Cidr(addr, len) + "?");
        }
        return new Ipv4Cidr(addr, len);
    }

    /** Parses a dotted-quad address into its 32 bits. */
    public static int parseAddress(String text) {
        var m = DOTTED.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int v = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    /** Formats 32 bits as a dotted quad. */
    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    private static int mask(int len) {
        return len == 0 ? 0 : -1 << (32 - len);
    }

    /** Number of addresses in the network (2^(32-prefix)); long because /0 has 2^32. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** Whether the address lies inside this network. */
    public boolean contains(int address) {
        return (address & mask(prefixLength)) == network;
    }

    /** Whether the dotted-quad address lies inside this network. */
    public boolean contains(String address) {
        return contains(parseAddress(address));
    }

    /** How many subnets of the given prefix length this network holds. */
    public long subnetCount(int subnetPrefixLength) {
        if (subnetPrefixLength < prefixLength || subnetPrefixLength > 32) {
            throw new IllegalArgumentException("/" + subnetPrefixLength + " does not fit in " + this);
        }
        return 1L << (subnetPrefixLength - prefixLength);
    }

    /** The index-th subnet of the given prefix length, counting from the network address. */
    public Ipv4Cidr subnet(int subnetPrefixLength, int index) {
        if (index < 0 || index >= subnetCount(subnetPrefixLength)) {
            throw new IllegalArgumentException("subnet index " + index + " out of range for /"
                    + subnetPrefixLength + " in " + this);
        }
        return new Ipv4Cidr(network + (int) ((long) index << (32 - subnetPrefixLength)), subnetPrefixLength);
    }

    /** The n-th address of this network (0 is the network address itself). */
    public int host(long n) {
        if (n < 0 || n >= size()) {
            throw new IllegalArgumentException("host " + n + " outside " + this);
        }
        return network + (int) n;
    }

    /** The offset of an address inside this network. */
    public long offsetOf(int address) {
        if (!contains(address)) {
            throw new IllegalArgumentException(format(address) + " is outside " + this);
        }
        return Integer.toUnsignedLong(address - network);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }
}
