package io.kubevisor.runtime.runsc;

import java.util.regex.Pattern;

/** Sandbox and container ids: runsc matches id prefixes, so all ids have one fixed length. */
public final class Ids {

    /** Every id is this many lowercase hex digits. */
    public static final int LENGTH = 32;

    private static final Pattern ID = Pattern.compile("[0-9a-f]{" + LENGTH + "}");

    private Ids() {
    }

    /** Throws {@link IllegalArgumentException} unless {@code id} is 32 lowercase hex digits. */
    public static String check(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " id must be " + LENGTH + " lowercase hex digits: " + id);
        }
        return id;
    }
}
