package io.kubevisor.apiserver.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;

class ServerTlsTest {

    @Test
    void onLinuxX8664TheApiServesTlsWithBoringSslOfferingH2() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the native library is packaged for Linux x86-64 only");
        ClusterCa ca = ClusterCa.create("ca", Duration.ofDays(1), Clock.systemUTC());
        KeyMaterial serving = ca.issueServing(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()),
                Duration.ofDays(1));
        SslContext tls = ServerWiring.tls(serving, ca);
        // The JDK engine would still work, but at the CPU cost this dependency is there to avoid.
        assertThat(tls).isInstanceOf(OpenSslContext.class);
        assertThat(tls.isServer()).isTrue();
        assertThat(tls.applicationProtocolNegotiator().protocols()).containsExactly("h2", "http/1.1");
    }
}
