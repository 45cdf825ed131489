package io.kubevisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodNetworkIpamTest {

    @TempDir
    Path dir;

    private Ipam open(String cidr, int subnetPrefix, String prefix) {
        return new Ipam(new IpamFile(dir), Ipv4Cidr.parse(cidr), subnetPrefix, prefix);
    }

    private static PodNetworkRequest pod(String ns, String name) {
        return new PodNetworkRequest(ns, name, ns + "-" + name + "-uid");
    }

    @Test
    void eachNamespaceGetsItsOwnSubnetAndPodsGetHostsFromTwo() {
        var ipam = open("10.244.0.0/16", 24, "kvaaaa");
        var a1 = ipam.allocate(pod("a", "1"));
        var a2 = ipam.allocate(pod("a", "2"));
        var b1 = ipam.allocate(pod("b", "1"));
        assertThat(a1.subnet()).isEqualTo(a2.subnet());
        assertThat(b1.subnet()).isNotEqualTo(a1.subnet());
        assertThat(a1.ip()).isEqualTo(Ipv4Cidr.format(a1.subnet().host(2)));
        assertThat(a2.ip()).isEqualTo(Ipv4Cidr.format(a1.subnet().host(3)));
        assertThat(a1.gateway()).isEqualTo(Ipv4Cidr.format(a1.subnet().host(1)));
        assertThat(b1.subnet().contains(b1.address())).isTrue();
        assertThat(Ipv4Cidr.parse("10.244.0.0/16").contains(b1.address())).isTrue();
        assertThat(a1.ready()).isFalse();
    }

    @Test
    void allocateIsIdempotentPerUidAndRejectsANamespaceChange() {
        var ipam = open("10.244.0.0/16", 24, "kvaaaa");
        var first = ipam.allocate(pod("a", "1"));
        assertThat(ipam.allocate(pod("a", "1"))).isEqualTo(first);
        assertThatThrownBy(() -> ipam.allocate(new PodNetworkRequest("b", "1", first.uid())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace a");
    }

    @Test
    void aReservationIsTakenAtOnceButWrittenOnlyByTheNextWrite() {
        var ipam = open("10.244.0.0/16", 24, "kvaaaa");
        var reserved = ipam.reserve(pod("a", "1"));
        assertThat(ipam.allocate(pod("a", "2")).ip()).as("taken in memory").isNotEqualTo(reserved.ip());
        var unrecorded = ipam.reserve(pod("a", "3"));
        assertThat(open("10.244.0.0/16", 24, "kvaaaa").find(unrecorded.uid()))
                .as("a crash forgets what no write recorded").isEmpty();
        assertThat(open("10.244.0.0/16", 24, "kvaaaa").find(reserved.uid()))
                .as("the allocation's write recorded the earlier reservation").contains(reserved);
        assertThat(ipam.reserve(pod("a", "3"))).as("idempotent").isEqualTo(unrecorded);
        var ready = ipam.markReady(unrecorded.uid());
        assertThat(open("10.244.0.0/16", 24, "kvaaaa").find(unrecorded.uid())).as("markReady writes it")
                .contains(ready);
    }

    @Test
    void stateSurvivesReopenAndIsCheckedAgainstOptions() {
        var ipam = open("10.244.0.0/16", 24, "kvaaaa");
        var a1 = ipam.allocate(pod("a", "1"));
        ipam.markReady(a1.uid());
        var b1 = ipam.allocate(pod("b", "1"));

        var again = open("10.244.0.0/16", 24, null);
        assertThat(again.prefix()).isEqualTo("kvaaaa");
        assertThat(again.find(a1.uid())).contains(a1.asReady());
        assertThat(again.find(b1.uid())).contains(b1);
        assertThat(again.allocate(pod("a", "2")).ip()).isNotEqualTo(a1.ip());

        assertThatThrownBy(() -> open("10.245.0.0/16", 24, null)).isInstanceOf(PodNetworkException.StateInvalid.class)
                .hasMessageContaining("10.244.0.0/16");
        assertThatThrownBy(() -> open("10.244.0.0/16", 24, "kvbbbb")).hasMessageContaining("kvaaaa");
    }

    @Test
    void aNewStateDirRecordsARandomPrefix() {
        var ipam = open("10.244.0.0/16", 24, null);
        assertThat(ipam.prefix()).matches("kv[0-9a-f]{4}");
        assertThat(open("10.244.0.0/16", 24, null).prefix()).isEqualTo(ipam.prefix());
    }

    @Test
    void corruptStateIsReportedNotIgnored() throws Exception {
        Files.writeString(dir.resolve(IpamFile.NAME), "{\"version\":1,");
        assertThatThrownBy(() -> open("10.244.0.0/16", 24, null)).isInstanceOf(PodNetworkException.StateInvalid.class)
                .hasMessageContaining("ipam.json");
    }

    @Test
    void releaseFreesTheAddressButNotAtOnce() {
        var ipam = open("10.244.0.0/16", 24, "kvaaaa");
        var a1 = ipam.allocate(pod("a", "1"));
        ipam.allocate(pod("a", "2"));
        assertThat(ipam.release(a1.uid())).contains(a1);
        assertThat(ipam.release(a1.uid())).isEmpty();
        assertThat(ipam.find(a1.uid())).isEmpty();
        assertThat(ipam.hasPods("a")).isTrue();
        // Round-robin: the next pod gets .4, not the just-freed .2.
        assertThat(ipam.allocate(pod("a", "3")).address()).isEqualTo(a1.subnet().host(4));
    }

    @Test
    void aSubnetFillsUpThenWrapsToFreedAddresses() {
        var ipam = open("10.0.0.0/24", 29, "kvaaaa"); // hosts 2..6: five pods
        var leases = new ArrayList<Lease>();
        for (int i = 0; i < 5; i++) {
            leases.add(ipam.allocate(pod("a", "p" + i)));
        }
        assertThatThrownBy(() -> ipam.allocate(pod("a", "p5")))
                .isInstanceOf(PodNetworkException.AddressesExhausted.class).hasMessageContaining("10.0.0.0/29");
        ipam.release(leases.get(2).uid());
        assertThat(ipam.allocate(pod("a", "p5")).address()).isEqualTo(leases.get(2).address());
    }

    @Test
    void emptiedSubnetsAreKeptThenReclaimedOldestFirst() {
        var ipam = open("10.0.0.0/27", 29, "kvaaaa"); // four subnets
        for (String ns : List.of("a", "b", "c", "d")) {
            ipam.allocate(pod(ns, "1"));
        }
        var aSubnet = ipam.subnet("a").orElseThrow();
        var cSubnet = ipam.subnet("c").orElseThrow();
        ipam.release("c-1-uid");
        ipam.release("a-1-uid");
        // "a" comes back: it still owns its subnet.
        assertThat(ipam.allocate(pod("a", "2")).subnet()).isEqualTo(aSubnet);
        ipam.release("a-2-uid");
        // A new namespace takes the subnet emptied longest ago: c's.
        assertThat(ipam.allocate(pod("e", "1")).subnet()).isEqualTo(cSubnet);
        assertThat(ipam.allocate(pod("f", "1")).subnet()).isEqualTo(aSubnet);
        assertThatThrownBy(() -> ipam.allocate(pod("g", "1")))
                .isInstanceOf(PodNetworkException.AddressesExhausted.class).hasMessageContaining("namespace g");
        assertThat(ipam.namespaces()).containsExactlyInAnyOrder("b", "d", "e", "f");
    }

    @Test
    void concurrentAllocationsNeverCollide() throws Exception {
        var ipam = open("10.244.0.0/16", 24, "kvaaaa");
        var futures = new ArrayList<Future<Lease>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                String ns = "ns" + (i % 4);
                String name = "p" + i;
                futures.add(pool.submit(() -> ipam.allocate(pod(ns, name))));
            }
        }
        var ips = new HashSet<String>();
        for (var f : futures) {
            ips.add(f.get().ip());
        }
        assertThat(ips).hasSize(200);
        var reopened = open("10.244.0.0/16", 24, null);
        assertThat(reopened.leases()).hasSize(200);
    }
}
