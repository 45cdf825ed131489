package io.kubevisor.store.sqlite;

/**
 * The key interval {@code [low, high)} of all keys starting with a prefix, in SQLite's BINARY
 * order (UTF-8 bytes, which is Unicode code point order). {@code high} is null when no bound
 * exists (empty prefix, or a prefix of only U+10FFFF).
 */
record KeyRange(String low, String high) {

    static KeyRange ofPrefix(String prefix) {
        return new KeyRange(prefix, upperBound(prefix));
    }

    /**
     * The lower bound for a page that starts strictly after {@code startAfter}: whichever of the
     * prefix and {@code startAfter} comes later.
     *
     * @return the bound and whether it is exclusive
     */
    Bound lowerBound(String startAfter) {
        if (startAfter != null && compareCodePoints(startAfter, low) >= 0) {
            return new Bound(startAfter, true);
        }
        return new Bound(low, false);
    }

    boolean contains(String key) {
        return key.startsWith(low);
    }

    record Bound(String key, boolean exclusive) {
    }

    /** The smallest string greater than every string that starts with {@code prefix}. */
    private static String upperBound(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int cp = prefix.codePointBefore(end);
            int start = end - Character.charCount(cp);
            if (cp < Character.MAX_CODE_POINT) {
                int next = cp + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : cp + 1;
                return prefix.substring(0, start) + Character.toString(next);
            }
            end = start;
        }
        return null;
    }

    /** Compares like SQLite's BINARY collation on UTF-8 text: by code point. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
