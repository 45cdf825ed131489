package io.kubevisor.apiserver.meta;

import java.security.SecureRandom;
import java.util.UUID;

/** Names and ids the server makes up. Thread-safe. */
public final class Names {

    // Kubernetes' alphabet for generated suffixes: no vowels (no words), no confusable characters.
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int SUFFIX = 5;
    private static final int MAX_NAME = 63;

    private final SecureRandom random = new SecureRandom();

    /** {@code generateName} plus five random characters, trimmed so the result fits 63 characters. */
    public String generate(String prefix) {
        String base = prefix.length() > MAX_NAME - SUFFIX ? prefix.substring(0, MAX_NAME - SUFFIX) : prefix;
        StringBuilder sb = new StringBuilder(base);
        for (int i = 0; i < SUFFIX; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    public String uid() {
        return UUID.randomUUID().toString();
    }
}
