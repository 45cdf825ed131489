package io.kubevisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The requests byte for byte. The expected bodies are what iproute2 sent for the same commands
 * (captured with {@code strace -xx -e trace=sendmsg ip ...} on x86-64); the headers differ only
 * in the sequence number, 7 here. Pure Java, no privileges.
 */
class RtNetlinkMessagesTest {

    private static final int SEQ = 7;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "expected bytes are little-endian");
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replaceAll("\\s+", ""));
    }

    @Test
    void vethWithItsPeerInAnotherNetnsIsWhatIpLinkAddSends() {
        // ip link add vabc master br0 up type veth peer name eth0 netns P (br0 has index 2, P's fd is 4)
        var bytes = RtNetlink.addVeth("vabc", 2, "eth0", 4).toBytes(SEQ);
        assertThat(bytes).isEqualTo(hex("""
                6c000000 1000 0506 07000000 00000000
                00 00 0000 00000000 01000000 01000000
                0800 0a00 02000000
                0900 0300 76616263 00 000000
                3800 1200
                  0800 0100 76657468
                  2c00 0200
                    2800 0100
                      00 00 0000 00000000 00000000 00000000
                      0800 1c00 04000000
                      0900 0300 65746830 00 000000
                """));
    }

    @Test
    void linkUpAddressAndDefaultRouteAreWhatTheIpBatchSends() {
        // link set eth0 up (index 2)
        assertThat(RtNetlink.setUp(2).toBytes(SEQ)).isEqualTo(hex("""
                20000000 1000 0500 07000000 00000000
                00 00 0000 02000000 01000000 01000000
                """));
        // addr add 10.244.0.2/24 dev eth0
        assertThat(RtNetlink.addIpv4Address(2, Ipv4Cidr.parseAddress("10.244.0.2"), 24).toBytes(SEQ))
                .isEqualTo(hex("""
                        28000000 1400 0506 07000000 00000000
                        02 18 00 00 02000000
                        0800 0200 0af40002
                        0800 0100 0af40002
                        """));
        // route replace default via 10.244.0.1 dev eth0
        assertThat(RtNetlink.replaceIpv4DefaultRoute(Ipv4Cidr.parseAddress("10.244.0.1"), 2).toBytes(SEQ))
                .isEqualTo(hex("""
                        2c000000 1800 0505 07000000 00000000
                        02 00 00 00 fe 03 00 01 00000000
                        0800 0500 0af40001
                        0800 0400 02000000
                        """));
    }

    @Test
    void anUnendedNestIsRefused() {
        var m = new NetlinkMessage("RTM_NEWLINK", RtNetlink.RTM_NEWLINK, 0).nest(RtNetlink.IFLA_LINKINFO);
        assertThatThrownBy(() -> m.toBytes(1)).hasMessageContaining("not ended");
    }

    /** An NLMSG_ERROR as the kernel sends it with the request's header echoed. */
    private static ByteBuffer error(ByteBuffer b, int seq, int error) {
        b.putInt(36).putShort((short) NetlinkMessage.NLMSG_ERROR).putShort((short) 0x100).putInt(seq).putInt(4242);
        b.putInt(error);
        b.putInt(32).putShort((short) 16).putShort((short) 5).putInt(seq).putInt(0);
        return b;
    }

    @Test
    void theAckOfOurRequestIsFoundAndOthersAreSkipped() {
        var one = error(ByteBuffer.allocate(36).order(ByteOrder.nativeOrder()), 5, -17).flip();
        assertThat(NetlinkMessage.ackError(one, 5)).hasValue(-17);
        assertThat(NetlinkMessage.ackError(one, 6)).isEmpty();

        var two = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
        error(two, 4, -19);
        error(two, 5, 0);
        assertThat(NetlinkMessage.ackError(two.flip(), 5)).hasValue(0);
    }

    @Test
    void anImpossibleLengthIsAnError() {
        var b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.putInt(8).putShort((short) 2).putShort((short) 0).putInt(1).putInt(0).putInt(0);
        assertThatThrownBy(() -> NetlinkMessage.ackError(b.flip(), 1)).hasMessageContaining("malformed");
        var c = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        c.putInt(64).putShort((short) 2).putShort((short) 0).putInt(1).putInt(0).putInt(0);
        assertThatThrownBy(() -> NetlinkMessage.ackError(c.flip(), 1)).hasMessageContaining("malformed");
    }
}
