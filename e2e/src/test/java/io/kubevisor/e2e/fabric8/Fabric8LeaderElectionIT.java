package io.kubevisor.e2e.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;

/** Two fabric8 LeaderElectors on one Lease: one leader at a time, and a prompt hand-over. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Fabric8LeaderElectionIT {

    static final String NS = "election";
    static final String LEASE = "the-lock";
    static final Duration LEASE_DURATION = Duration.ofSeconds(4);

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        client = Fabric8.client(cluster);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    @AfterAll
    static void down() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One candidate with its own client, as two replicas of an operator would run. */
    static final class Candidate implements AutoCloseable {
        final String identity;
        final KubernetesClient own = Fabric8.client(cluster);
        final Set<String> leaders;
        final AtomicInteger concurrentLeaders;
        final List<String> log;
        final CompletableFuture<?> running;
        volatile boolean leading;

        Candidate(String identity, Set<String> leaders, AtomicInteger concurrentLeaders, List<String> log) {
            this.identity = identity;
            this.leaders = leaders;
            this.concurrentLeaders = concurrentLeaders;
            this.log = log;
            LeaderElector elector = own.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                    .withName("e2e").withLock(new LeaseLock(NS, LEASE, identity))
                    .withLeaseDuration(LEASE_DURATION).withRenewDeadline(Duration.ofSeconds(3))
                    .withRetryPeriod(Duration.ofMillis(250)).withReleaseOnCancel()
                    .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped,
                            leader -> log.add(identity + " sees " + leader)))
                    .build()).build();
            running = elector.start();
        }

        private void started() {
            leading = true;
            leaders.add(identity);
            int n = concurrentLeaders.incrementAndGet();
            log.add(identity + " leads (" + n + " leading)");
        }

        private void stopped() {
            if (leading) {
                leading = false;
                concurrentLeaders.decrementAndGet();
            }
            log.add(identity + " stopped");
        }

        @Override
        public void close() {
            running.cancel(true);
            own.close();
        }
    }

    @Test
    void oneLeaderAtATimeAndTheOtherTakesOverOnRelease() throws InterruptedException {
        Set<String> leaders = ConcurrentHashMap.newKeySet();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        List<String> log = new CopyOnWriteArrayList<>();
        Candidate a = new Candidate("candidate-a", leaders, concurrent, log);
        Candidate b = new Candidate("candidate-b", leaders, concurrent, log);
        try {
            Awaitility.await().atMost(Cluster.patience()).pollInterval(Duration.ofMillis(50)).until(() -> {
                maxConcurrent.accumulateAndGet(concurrent.get(), Math::max);
                return leaders.size() == 1;
            });
            Candidate first = leaders.contains("candidate-a") ? a : b;
            Candidate second = first == a ? b : a;

            // Two lease durations of renewals: the leader keeps it, the other never leads.
            Instant until = Instant.now().plus(LEASE_DURATION.multipliedBy(2));
            while (Instant.now().isBefore(until)) {
                maxConcurrent.accumulateAndGet(concurrent.get(), Math::max);
                assertThat(first.leading).as(String.join("\n", log)).isTrue();
                assertThat(second.leading).isFalse();
                Thread.sleep(100);
            }
            Lease lease = client.leases().inNamespace(NS).withName(LEASE).get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(first.identity);
            assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo((int) LEASE_DURATION.toSeconds());
            assertThat(lease.getSpec().getRenewTime()).isNotNull();
            assertThat(lease.getSpec().getLeaseTransitions()).isNotNull();
            int transitions = lease.getSpec().getLeaseTransitions();

            // The leader stops and releases: the other takes over well within a lease duration.
            Instant stoppedAt = Instant.now();
            first.close();
            Awaitility.await().atMost(LEASE_DURATION).pollInterval(Duration.ofMillis(50)).until(() -> {
                maxConcurrent.accumulateAndGet(concurrent.get(), Math::max);
                return second.leading;
            });
            assertThat(Duration.between(stoppedAt, Instant.now())).isLessThan(LEASE_DURATION);
            Lease taken = client.leases().inNamespace(NS).withName(LEASE).get();
            assertThat(taken.getSpec().getHolderIdentity()).isEqualTo(second.identity);
            assertThat(taken.getSpec().getLeaseTransitions()).isGreaterThan(transitions);
            assertThat(maxConcurrent.get()).as(String.join("\n", log)).isEqualTo(1);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void theFirstCandidateCreatesTheLeaseWithItsIdentity() {
        Set<String> leaders = ConcurrentHashMap.newKeySet();
        List<String> log = new CopyOnWriteArrayList<>();
        String lease = LEASE + "-first";
        try (KubernetesClient own = Fabric8.client(cluster)) {
            CompletableFuture<?> running = own.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                    .withName("e2e-first").withLock(new LeaseLock(NS, lease, "solo"))
                    .withLeaseDuration(Duration.ofSeconds(15)).withRenewDeadline(Duration.ofSeconds(10))
                    .withRetryPeriod(Duration.ofMillis(250))
                    .withLeaderCallbacks(new LeaderCallbacks(() -> leaders.add("solo"), () -> log.add("stopped"),
                            log::add))
                    .build()).build().start();
            try {
                Awaitility.await().atMost(Cluster.patience()).until(() -> leaders.contains("solo"));
                Lease l = client.leases().inNamespace(NS).withName(lease).get();
                assertThat(l.getSpec().getHolderIdentity()).isEqualTo("solo");
                assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
                assertThat(l.getSpec().getAcquireTime()).isNotNull();
            } finally {
                running.cancel(true);
            }
        }
    }
}
