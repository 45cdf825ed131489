package io.kubevisor.cli;

import java.nio.file.Path;

/**
 * Where state lives: {@code sqlite:PATH} (the default, under the data dir) or {@code etcd:URL}.
 */
sealed interface StoreUrl {

    record Sqlite(Path file) implements StoreUrl {
    }

    record Etcd(String endpoints) implements StoreUrl {
    }

    static StoreUrl parse(String value, Path dataDir) {
        if (value == null || value.isBlank()) {
            return new Sqlite(dataDir.resolve("state.db"));
        }
        if (value.startsWith("sqlite:")) {
            String p = value.substring("sqlite:".length());
            if (p.isBlank()) {
                throw new IllegalArgumentException("--store sqlite: needs a file path, e.g. sqlite:/var/lib/kubevisor/state.db");
            }
            return new Sqlite(Path.of(p).toAbsolutePath());
        }
        if (value.startsWith("etcd:")) {
            return new Etcd(value.substring("etcd:".length()));
        }
        throw new IllegalArgumentException("--store must be sqlite:PATH or etcd:URL, not '" + value + "'");
    }
}
