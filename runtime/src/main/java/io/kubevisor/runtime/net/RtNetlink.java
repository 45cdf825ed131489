package io.kubevisor.runtime.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.kubevisor.runtime.linux.Fd;
import io.kubevisor.runtime.linux.LinuxCallException;
import io.kubevisor.runtime.linux.LinuxCalls;

/**
 * A route-netlink socket, and the requests the pod plumbing sends on it, each byte for byte as
 * iproute2 sends it for the {@code ip} command named in its javadoc. The socket acts in the
 * network namespace of the thread that opened it, wherever that thread goes afterwards. One
 * request at a time, each acknowledged before the next: a refusal throws
 * {@link LinuxCallException} with the kernel's errno. Confined to the thread that opened it.
 */
final class RtNetlink implements AutoCloseable {

    static final int RTM_NEWLINK = 16;
    static final int RTM_NEWADDR = 20;
    static final int RTM_NEWROUTE = 24;

    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int IFF_UP = 0x1;

    static final int IFLA_IFNAME = 3;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;

    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;

    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_BOOT = 3;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RTN_UNICAST = 1;

    private static final int CREATE_NEW = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
            | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL;
    private static final int MODIFY = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK;
    private static final int CREATE_OR_REPLACE = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
            | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_REPLACE;
    /** Enough for any acknowledgement: a refusal echoes the request, which is well under 1 KiB. */
    private static final int RECEIVE_BUFFER = 8192;

    private final Arena arena = Arena.ofConfined();
    private final Fd socket;
    private final MemorySegment buffer;
    private int seq;

    private RtNetlink(Fd socket) {
        this.socket = socket;
        this.buffer = arena.allocate(RECEIVE_BUFFER);
    }

    /**
     * Opens a socket in the calling thread's network namespace, bound to a port the kernel picks,
     * whose receive times out after {@code timeout} (the kernel answers in microseconds; the limit
     * only keeps a lost answer from hanging the caller).
     */
    static RtNetlink open(Duration timeout) {
        Fd fd = LinuxCalls.socket(LinuxCalls.AF_NETLINK, LinuxCalls.SOCK_RAW | LinuxCalls.SOCK_CLOEXEC,
                LinuxCalls.NETLINK_ROUTE);
        var rt = new RtNetlink(fd);
        try {
            var timeval = rt.arena.allocate(16);
            timeval.set(JAVA_LONG, 0, timeout.toSeconds());
            timeval.set(JAVA_LONG, 8, timeout.toMillisPart() * 1000L);
            LinuxCalls.setsockopt(fd, LinuxCalls.SOL_SOCKET, LinuxCalls.SO_RCVTIMEO, timeval);
            // struct sockaddr_nl: family, pad, port id 0 (the kernel assigns one), no groups.
            var address = rt.arena.allocate(12);
            address.set(JAVA_SHORT, 0, (short) LinuxCalls.AF_NETLINK);
            LinuxCalls.bind(fd, address);
            return rt;
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
    }

    /**
     * Sends the request and waits for its acknowledgement.
     *
     * @throws LinuxCallException with the kernel's errno if it refused the request, or EAGAIN if
     *                            no answer came in time
     */
    void request(NetlinkMessage message) {
        int s = ++seq;
        byte[] bytes = message.toBytes(s);
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
        LinuxCalls.send(socket, buffer.asSlice(0, bytes.length));
        while (true) {
            long n;
            try {
                n = LinuxCalls.recv(socket, buffer);
            } catch (LinuxCallException e) {
                throw new LinuxCallException(message.name() + " (no answer: " + e.call() + ")", e.errno());
            }
            var error = NetlinkMessage.ackError(buffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder()), s);
            if (error.isPresent()) {
                if (error.getAsInt() != 0) {
                    throw new LinuxCallException(message.name(), -error.getAsInt());
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } finally {
            arena.close();
        }
    }

    /**
     * {@code ip link add NAME master MASTER up type veth peer name PEER netns PEER_NETNS}: a veth
     * pair whose first end is a port of the bridge {@code masterIndex} here, up, and whose other
     * end is created straight in the namespace {@code peerNetnsFd} refers to (down, unaddressed).
     */
    static NetlinkMessage addVeth(String name, int masterIndex, String peerName, int peerNetnsFd) {
        var m = new NetlinkMessage("RTM_NEWLINK", RTM_NEWLINK, CREATE_NEW);
        ifinfomsg(m, 0, IFF_UP, IFF_UP);
        // In iproute2's order, down to the kind without its NUL: the same bytes as "ip link add".
        m.attrU32(IFLA_MASTER, masterIndex).attrString(IFLA_IFNAME, name);
        m.nest(IFLA_LINKINFO).attr(IFLA_INFO_KIND, "veth".getBytes(StandardCharsets.US_ASCII))
                .nest(IFLA_INFO_DATA).nest(VETH_INFO_PEER);
        ifinfomsg(m, 0, 0, 0);
        m.attrU32(IFLA_NET_NS_FD, peerNetnsFd).attrString(IFLA_IFNAME, peerName);
        return m.end().end().end();
    }

    /** {@code ip link set DEV up}, the device given by its index. */
    static NetlinkMessage setUp(int index) {
        var m = new NetlinkMessage("RTM_NEWLINK", RTM_NEWLINK, MODIFY);
        ifinfomsg(m, index, IFF_UP, IFF_UP);
        return m;
    }

    /** {@code ip addr add ADDRESS/PREFIX dev DEV}: local and peer address both the pod's own. */
    static NetlinkMessage addIpv4Address(int index, int address, int prefixLength) {
        var m = new NetlinkMessage("RTM_NEWADDR", RTM_NEWADDR, CREATE_NEW);
        // struct ifaddrmsg: family, prefix length, flags, scope (universe), interface index.
        m.u8(AF_INET).u8(prefixLength).u8(0).u8(RT_SCOPE_UNIVERSE).u32(index);
        return m.attrIpv4(IFA_LOCAL, address).attrIpv4(IFA_ADDRESS, address);
    }

    /** {@code ip route replace default via GATEWAY dev DEV}, in the main table. */
    static NetlinkMessage replaceIpv4DefaultRoute(int gateway, int index) {
        var m = new NetlinkMessage("RTM_NEWROUTE", RTM_NEWROUTE, CREATE_OR_REPLACE);
        // struct rtmsg: family, dst/src prefix lengths (0: default), tos, table, protocol, scope, type, flags.
        m.u8(AF_INET).u8(0).u8(0).u8(0).u8(RT_TABLE_MAIN).u8(RTPROT_BOOT).u8(RT_SCOPE_UNIVERSE).u8(RTN_UNICAST).u32(0);
        return m.attrIpv4(RTA_GATEWAY, gateway).attrU32(RTA_OIF, index);
    }

    /** struct ifinfomsg: family, pad, device type, index, flags, the mask of flags to change. */
    private static void ifinfomsg(NetlinkMessage m, int index, int flags, int change) {
        m.u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }
}
