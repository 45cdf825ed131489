package io.kubevisor.runtime.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.OptionalInt;

/**
 * One netlink request as bytes, and the reading of the kernel's acknowledgement: a 16-byte
 * {@code nlmsghdr}, then the family's fixed header (written field by field), then attributes
 * ({@code rtattr}: u16 length, u16 type, the value, padded to 4 bytes), which may nest. Numbers
 * are in the host's byte order; IPv4 addresses in network order. A builder: fill it on one
 * thread, then take {@link #toBytes}.
 */
final class NetlinkMessage {

    static final int HEADER_LENGTH = 16;
    static final int NLMSG_ERROR = 2;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    private static final int ATTR_HEADER_LENGTH = 4;

    private final String name;
    private final int type;
    private final int flags;
    private final ByteBuffer body = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
    /** Where each open nest's attribute header starts, innermost first. */
    private final Deque<Integer> nests = new ArrayDeque<>();

    /**
     * @param name  the message type's name, for errors (e.g. {@code RTM_NEWLINK})
     * @param type  {@code nlmsg_type}
     * @param flags {@code nlmsg_flags}
     */
    NetlinkMessage(String name, int type, int flags) {
        this.name = name;
        this.type = type;
        this.flags = flags;
    }

    String name() {
        return name;
    }

    NetlinkMessage u8(int value) {
        body.put((byte) value);
        return this;
    }

    NetlinkMessage u16(int value) {
        body.putShort((short) value);
        return this;
    }

    NetlinkMessage u32(int value) {
        body.putInt(value);
        return this;
    }

    /** An attribute holding a u32 in host order (an index, a file descriptor). */
    NetlinkMessage attrU32(int attrType, int value) {
        return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** An attribute holding a NUL-terminated string (an interface name, a link kind). */
    NetlinkMessage attrString(int attrType, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return attr(attrType, Arrays.copyOf(s, s.length + 1));
    }

    /** An attribute holding an IPv4 address, in network byte order. */
    NetlinkMessage attrIpv4(int attrType, int address) {
        return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(address).array());
    }

    NetlinkMessage attr(int attrType, byte[] value) {
        body.putShort((short) (ATTR_HEADER_LENGTH + value.length)).putShort((short) attrType).put(value);
        pad();
        return this;
    }

    /** Opens a nested attribute: what follows until {@link #end} is its value. */
    NetlinkMessage nest(int attrType) {
        nests.push(body.position());
        body.putShort((short) 0).putShort((short) attrType);
        return this;
    }

    /** Closes the innermost nested attribute, writing its length. */
    NetlinkMessage end() {
        int start = nests.pop();
        body.putShort(start, (short) (body.position() - start));
        return this;
    }

    /** The whole message with its header: length, type, flags, {@code seq}, port id 0. */
    byte[] toBytes(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException(name + ": " + nests.size() + " nested attributes not ended");
        }
        int length = HEADER_LENGTH + body.position();
        var out = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        out.putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        out.put(body.array(), 0, body.position());
        return out.array();
    }

    private void pad() {
        while (body.position() % 4 != 0) {
            body.put((byte) 0);
        }
    }

    /**
     * The error code of the acknowledgement of request {@code seq} in one datagram from the
     * kernel: 0 for success, a negative errno for a refusal; empty if the datagram holds no
     * {@code NLMSG_ERROR} for that request (a stale answer to be skipped).
     *
     * @param datagram the bytes received, in host byte order, from position 0 to the limit
     * @throws IllegalStateException if a message's length is impossible
     */
    static OptionalInt ackError(ByteBuffer datagram, int seq) {
        int pos = 0;
        while (datagram.limit() - pos >= HEADER_LENGTH) {
            int length = datagram.getInt(pos);
            if (length < HEADER_LENGTH || length > datagram.limit() - pos) {
                throw new IllegalStateException("malformed netlink answer: message length " + length + " at " + pos
                        + " of " + datagram.limit());
            }
            int msgType = datagram.getShort(pos + 4) & 0xffff;
            int msgSeq = datagram.getInt(pos + 8);
            if (msgType == NLMSG_ERROR && msgSeq == seq && length >= HEADER_LENGTH + 4) {
                return OptionalInt.of(datagram.getInt(pos + HEADER_LENGTH));
            }
            pos += (length + 3) & ~3;
        }
        return OptionalInt.empty();
    }
}
