package io.kubevisor.runtime.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** sha256 content digests ({@code sha256:<64 lowercase hex>}): the only kind this store addresses. */
final class Digests {

    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    private Digests() {
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String of(byte[] bytes) {
        return format(newSha256().digest(bytes));
    }

    static String format(byte[] sha256) {
        return "sha256:" + HexFormat.of().formatHex(sha256);
    }

    /** Whether {@code digest} is a well-formed sha256 digest (safe to use as a file name). */
    static boolean isValid(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    /**
     * The hex part of a digest, after checking its form: digests come from untrusted manifests and
     * become file names.
     *
     * @throws IllegalArgumentException when not {@code sha256:<64 lowercase hex>}
     */
    static String hex(String digest) {
        if (!isValid(digest)) {
            throw new IllegalArgumentException("unsupported or malformed digest \"" + digest + "\"");
        }
        return digest.substring("sha256:".length());
    }
}
