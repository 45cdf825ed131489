package io.kubevisor.store.sqlite;

import java.util.List;

/**
 * Every statement the SQLite backend runs. The layout:
 * <ul>
 *   <li>{@code kv_log}: one row per write, keyed by its revision. A put stores the new value; a
 *       deletion stores a tombstone (no value, {@code deleted = 1}). {@code prev_revision} is the
 *       revision of the row this write replaced (0 for a create), so the value before a change is
 *       one primary-key lookup away.</li>
 *   <li>{@code kv_current}: the mod revision of every live key, so reads at the current revision
 *       touch only live keys.</li>
 *   <li>{@code kv_meta}: the store revision, the compact revision, and how far compaction has
 *       physically deleted rows.</li>
 * </ul>
 */
final class Sql {

    private Sql() {
    }

    static final int SCHEMA_VERSION = 1;

    static final List<String> SCHEMA = List.of(
            """
            CREATE TABLE IF NOT EXISTS kv_log (
              revision        INTEGER PRIMARY KEY,
              key             TEXT    NOT NULL,
              value           BLOB,
              create_revision INTEGER NOT NULL,
              prev_revision   INTEGER NOT NULL,
              deleted         INTEGER NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS kv_log_key_revision ON kv_log (key, revision)",
            """
            CREATE TABLE IF NOT EXISTS kv_current (
              key          TEXT    PRIMARY KEY,
              mod_revision INTEGER NOT NULL
            ) WITHOUT ROWID""",
            """
            CREATE TABLE IF NOT EXISTS kv_meta (
              name  TEXT    PRIMARY KEY,
              value INTEGER NOT NULL
            ) WITHOUT ROWID""",
            "INSERT OR IGNORE INTO kv_meta (name, value) VALUES ('schema', " + SCHEMA_VERSION + ")",
            "INSERT OR IGNORE INTO kv_meta (name, value) VALUES ('revision', 0)",
            "INSERT OR IGNORE INTO kv_meta (name, value) VALUES ('compact', 0)",
            "INSERT OR IGNORE INTO kv_meta (name, value) VALUES ('compact_done', 0)");

    static final String META_REVISION = "revision";
    static final String META_COMPACT = "compact";
    static final String META_COMPACT_DONE = "compact_done";
    static final String META_SCHEMA = "schema";

    static final String SELECT_META = "SELECT name, value FROM kv_meta";
    static final String UPDATE_META = "UPDATE kv_meta SET value = ? WHERE name = ?";

    // --- writer ---

    /** Mod revision, create revision and value of a live key. */
    static final String SELECT_LIVE = """
            SELECT c.mod_revision, l.create_revision, l.value
            FROM kv_current c JOIN kv_log l ON l.revision = c.mod_revision
            WHERE c.key = ?""";
    static final String SELECT_LIVE_REVISION = "SELECT mod_revision FROM kv_current WHERE key = ?";
    static final String INSERT_LOG = """
            INSERT INTO kv_log (revision, key, value, create_revision, prev_revision, deleted)
            VALUES (?, ?, ?, ?, ?, ?)""";
    static final String INSERT_CURRENT = "INSERT INTO kv_current (key, mod_revision) VALUES (?, ?)";
    static final String UPDATE_CURRENT = "UPDATE kv_current SET mod_revision = ? WHERE key = ?";
    static final String DELETE_CURRENT = "DELETE FROM kv_current WHERE key = ?";

    /**
     * Compaction of the revisions (?1, ?2]: a write in that range makes the row it replaced
     * unreadable at any revision from ?2 on, and a tombstone in it is needed by no read from ?2
     * on. Rows are deleted before the tombstones that point at them, in one transaction.
     */
    static final String COMPACT_REPLACED = """
            DELETE FROM kv_log WHERE revision IN (
              SELECT prev_revision FROM kv_log
              WHERE revision > ?1 AND revision <= ?2 AND prev_revision > 0)""";
    static final String COMPACT_TOMBSTONES =
            "DELETE FROM kv_log WHERE revision > ?1 AND revision <= ?2 AND deleted = 1";

    // --- readers ---

    static final String BEGIN_READ = "BEGIN DEFERRED";
    static final String COMMIT = "COMMIT";
    static final String ROLLBACK = "ROLLBACK";

    static final String GET = """
            SELECT l.value, l.create_revision, c.mod_revision
            FROM kv_current c JOIN kv_log l ON l.revision = c.mod_revision
            WHERE c.key = ?""";

    /** Live keys of a range in key order: key, value, create revision, mod revision. */
    static String listCurrent(boolean lowExclusive, boolean hasHigh) {
        return "SELECT c.key, l.value, l.create_revision, c.mod_revision"
                + " FROM kv_current c JOIN kv_log l ON l.revision = c.mod_revision"
                + " WHERE " + range("c.key", lowExclusive, hasHigh)
                + " ORDER BY c.key LIMIT ?6";
    }

    static String countCurrent(boolean hasHigh) {
        return "SELECT count(*) FROM kv_current c WHERE " + range("c.key", true, hasHigh);
    }

    /**
     * Keys of a range as they were at revision {@code ?1} (the newest row of each key at or
     * before it, unless that row is a tombstone), in key order.
     */
    static String listAt(boolean lowExclusive, boolean hasHigh) {
        return "SELECT l.key, l.value, l.create_revision, l.revision"
                + " FROM kv_log l"
                + " WHERE " + range("l.key", lowExclusive, hasHigh) + AT_REVISION
                + " ORDER BY l.key LIMIT ?6";
    }

    static String countAt(boolean hasHigh) {
        return "SELECT count(*) FROM kv_log l WHERE " + range("l.key", true, hasHigh) + AT_REVISION;
    }

    private static final String AT_REVISION = """
             AND l.deleted = 0
             AND l.revision = (SELECT max(m.revision) FROM kv_log m WHERE m.key = l.key AND m.revision <= ?1)""";

    /**
     * Changes in the revisions (?2, ?3] under a key range, oldest first, each with the row it
     * replaced: revision, key, value, create revision, prev revision, deleted, prev value,
     * prev create revision.
     */
    static String history(boolean hasHigh) {
        return "SELECT l.revision, l.key, l.value, l.create_revision, l.prev_revision, l.deleted,"
                + " p.value, p.create_revision"
                + " FROM kv_log l LEFT JOIN kv_log p ON p.revision = l.prev_revision"
                + " WHERE l.revision > ?2 AND l.revision <= ?3 AND " + range("l.key", false, hasHigh)
                + " ORDER BY l.revision LIMIT ?6";
    }

    /** Parameters by number: ?1 read revision, ?2..?3 revision window, ?4 low key, ?5 high key, ?6 limit. */
    private static String range(String column, boolean lowExclusive, boolean hasHigh) {
        return column + (lowExclusive ? " > ?4" : " >= ?4") + (hasHigh ? " AND " + column + " < ?5" : "");
    }
}
