package io.kubevisor.store.sqlite;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRangeTest {

    @Test
    void aDirectoryPrefixEndsBeforeItsSiblings() {
        KeyRange range = KeyRange.ofPrefix("/registry/pods/");
        assertThat(range.low()).isEqualTo("/registry/pods/");
        assertThat(range.high()).isEqualTo("/registry/pods0");
        assertThat(inRange(range, "/registry/pods/ns/a")).isTrue();
        assertThat(inRange(range, "/registry/pods/")).isTrue();
        assertThat(inRange(range, "/registry/podsx/ns/a")).isFalse();
        assertThat(inRange(range, "/registry/pods")).isFalse();
    }

    @Test
    void theEmptyPrefixHasNoUpperBound() {
        assertThat(KeyRange.ofPrefix("").high()).isNull();
    }

    @Test
    void boundsFollowCodePointOrderAcrossSurrogatesAndTheLastCodePoint() {
        String maxCodePoint = new String(Character.toChars(Character.MAX_CODE_POINT));
        var prefixes = List.of("/a\uD7FF", "/a\uFFFF", "/a" + maxCodePoint, "/a\u00e9", "/\uD83D\uDE00");
        var samples = new ArrayList<String>();
        for (String p : prefixes) {
            samples.add(p);
            samples.add(p + "x");
            samples.add(p + maxCodePoint);
        }
        samples.addAll(List.of("/a", "/b", "/a\uE000", "/a\uD800\uDC00", "/\uD83D\uDE01", "/\uFFFF"));
        for (String prefix : prefixes) {
            KeyRange range = KeyRange.ofPrefix(prefix);
            for (String key : samples) {
                assertThat(inRange(range, key)).as("%s under %s", key, prefix).isEqualTo(key.startsWith(prefix));
            }
        }
        assertThat(KeyRange.ofPrefix(maxCodePoint).high()).isNull();
        assertThat(KeyRange.ofPrefix("/a" + maxCodePoint).high()).isEqualTo("/b");
    }

    @Test
    void aPageStartsAfterWhicheverComesLater() {
        KeyRange range = KeyRange.ofPrefix("/p/");
        assertThat(range.lowerBound(null)).isEqualTo(new KeyRange.Bound("/p/", false));
        assertThat(range.lowerBound("/a")).isEqualTo(new KeyRange.Bound("/p/", false));
        assertThat(range.lowerBound("/p/k")).isEqualTo(new KeyRange.Bound("/p/k", true));
    }

    /** What SQLite does with {@code key >= low AND key < high}. */
    private static boolean inRange(KeyRange range, String key) {
        return KeyRange.compareCodePoints(key, range.low()) >= 0
                && (range.high() == null || KeyRange.compareCodePoints(key, range.high()) < 0);
    }
}
