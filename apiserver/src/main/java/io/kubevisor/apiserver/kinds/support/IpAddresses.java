package io.kubevisor.apiserver.kinds.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP addresses the way Go's {@code netutils.ParseIPSloppy} does (IPv4 dotted quads, leading
 * zeros allowed; IPv6 literals without brackets or zones), never resolving names. Stateless.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** The address bytes (4 for IPv4, 16 for IPv6), or empty when {@code s} is not an IP literal. */
    public static Optional<byte[]> parse(String s) {
        if (s == null || s.isEmpty()) {
            return Optional.empty();
        }
        if (s.indexOf(':') < 0) {
            return ipv4(s);
        }
        if (s.contains("[") || s.contains("]") || s.contains("%") || !s.matches("[0-9A-Fa-f:.]+")) {
            return Optional.empty();
        }
        try {
            // An IPv6 literal (it contains ':'), so this never performs a lookup.
            byte[] b = InetAddress.getByName(s).getAddress();
            return Optional.of(b);
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }

    /** Whether {@code s} is an IPv4 address (also IPv4-mapped IPv6, as Go's To4 accepts). */
    public static boolean isIpv4(String s) {
        return parse(s).map(b -> b.length == 4).orElse(false);
    }

    /** Whether {@code s} is an IPv6 address. */
    public static boolean isIpv6(String s) {
        return s.indexOf(':') >= 0 && parse(s).map(b -> b.length == 16).orElse(false);
    }

    /** Whether {@code s} is a CIDR such as 10.244.0.0/24 or fd00::/64. */
    public static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        Optional<byte[]> ip = parse(s.substring(0, slash));
        String bits = s.substring(slash + 1);
        if (ip.isEmpty() || bits.isEmpty() || !bits.chars().allMatch(Character::isDigit) || bits.length() > 3) {
            return false;
        }
        int n = Integer.parseInt(bits);
        return n <= ip.get().length * 8;
    }
}
