package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Kills a writing process with SIGKILL and checks that every write it acknowledged survived,
 * that the log has no hole, and that the store goes on from the next revision. Several rounds
 * on the same file, so each round also recovers from the previous kill.
 */
class SqliteCrashIT {

    private static final int ROUNDS = 3;
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Path db = dir.resolve("crash.db");
        var acknowledged = new ArrayList<Ack>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Ack> acks = runAndKill(db, round);
            assertThat(acks).as("acknowledged writes in round %d", round).hasSizeGreaterThan(20);
            acknowledged.addAll(acks);

            Map<Long, Row> log = readLog(db);
            long max = log.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
            System.out.printf("crash round=%d acknowledged=%d logRows=%d%n", round, acks.size(), log.size());
            assertThat(log).as("log revisions 1..%d without holes", max).hasSize((int) max);
            for (Ack ack : acknowledged) {
                Row row = log.get(ack.revision());
                assertThat(row).as("row of acknowledged %s", ack).isNotNull();
                assertThat(row.key()).isEqualTo(ack.key());
                assertThat(row.deleted()).isEqualTo(ack.op().equals("D"));
                if (!row.deleted()) {
                    assertThat(row.value()).as("value of %s", ack).isEqualTo(ack.value());
                }
            }

            try (SqliteStore store = SqliteStore.open(db, SqliteOptions.defaults())) {
                assertThat(store.currentRevision()).isEqualTo(max);
                KeyValue next = store.create("/after/" + round, "x".getBytes(StandardCharsets.UTF_8));
                assertThat(next.modRevision()).isEqualTo(max + 1);
                Ack lastCreate = acks.stream().filter(a -> a.op().equals("C")).reduce((a, b) -> b).orElseThrow();
                if (acks.stream().noneMatch(a -> a.key().equals(lastCreate.key()) && !a.op().equals("C"))) {
                    // Nothing later was acknowledged for it; an unacknowledged update or delete may still have landed.
                    store.get(lastCreate.key()).ifPresent(kv -> assertThat(kv.createRevision())
                            .isEqualTo(lastCreate.revision()));
                }
            }
        }
    }

    private List<Ack> runAndKill(Path db, int round) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path stderr = dir.resolve("child-" + round + ".err");
        // The child is killed: sqlite-jdbc's extracted library would stay in /tmp otherwise.
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Dorg.sqlite.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                SqliteCrashChild.class.getName(), db.toString(), Integer.toString(round), Integer.toString(THREADS))
                .redirectError(stderr.toFile())
                .start();
        var lines = new CopyOnWriteArrayList<String>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (lines.size() < 50 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            if (lines.isEmpty()) {
                fail("child wrote nothing; alive=" + child.isAlive() + ", stderr:\n" + Files.readString(stderr));
            }
            Thread.sleep(1000 + 300L * round);
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(20));
        var acks = new ArrayList<Ack>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            // A line cut by the kill is not an acknowledgement.
            if (parts.length == 4 && parts[2].chars().allMatch(Character::isDigit)) {
                acks.add(new Ack(parts[0], parts[1], Long.parseLong(parts[2]), parts[3]));
            }
        }
        return acks;
    }

    private static Map<Long, Row> readLog(Path db) throws SQLException {
        var rows = new HashMap<Long, Row>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT revision, key, value, deleted FROM kv_log")) {
            while (result.next()) {
                byte[] value = result.getBytes(3);
                rows.put(result.getLong(1), new Row(result.getString(2),
                        value == null ? null : new String(value, StandardCharsets.UTF_8), result.getInt(4) != 0));
            }
        }
        return rows;
    }

    private record Ack(String op, String key, long revision, String value) {
    }

    private record Row(String key, String value, boolean deleted) {
    }
}
