package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process {@link SqliteCrashIT} kills: writes to a store from several threads forever and
 * prints one line per acknowledged write, {@code <op> <key> <revision> <value>}, flushed
 * before the next write of that thread starts.
 */
public final class SqliteCrashChild {

    private SqliteCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        String round = args[1];
        int threads = Integer.parseInt(args[2]);
        var out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        SqliteStore store = SqliteStore.open(db, SqliteOptions.defaults());
        for (int t = 0; t < threads; t++) {
            String prefix = "/crash/" + round + "/t" + t + "/k";
            Thread.ofVirtual().start(() -> {
                for (int n = 0; ; n++) {
                    String key = prefix + n;
                    String value = "c-" + round + "-" + n;
                    KeyValue kv = store.create(key, value.getBytes(StandardCharsets.UTF_8));
                    ack(out, "C", key, kv.modRevision(), value);
                    if (n % 2 == 0) {
                        value = "u-" + round + "-" + n;
                        kv = store.update(key, value.getBytes(StandardCharsets.UTF_8), kv.modRevision());
                        ack(out, "U", key, kv.modRevision(), value);
                    }
                    if (n % 3 == 0) {
                        ack(out, "D", key, store.delete(key, kv.modRevision()).modRevision(), "-");
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void ack(PrintStream out, String op, String key, long revision, String value) {
        synchronized (out) {
            out.println(op + " " + key + " " + revision + " " + value);
            out.flush();
        }
    }
}
