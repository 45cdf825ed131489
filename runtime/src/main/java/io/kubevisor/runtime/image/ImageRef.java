package io.kubevisor.runtime.image;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A normalized image reference, parsed the way the kubelet and containerd read
 * {@code spec.containers[].image}: {@code busybox} is {@code docker.io/library/busybox:latest},
 * {@code 127.0.0.1:5000/demo/bb:1} keeps its registry, and {@code name@sha256:...} pins a digest.
 *
 * @param domain   the registry host, with its port if any (e.g. {@code docker.io}, {@code 127.0.0.1:5000})
 * @param path     the repository path within the registry (e.g. {@code library/busybox})
 * @param tag      the tag, or null when only a digest was given
 * @param digest   the pinned digest ({@code sha256:<hex>}), or null
 * @param original the text as the user wrote it, for messages
 */
public record ImageRef(String domain, String path, String tag, String digest, String original) {

    /** The registry the Docker tools assume when a name has none. */
    public static final String DOCKER_HUB = "docker.io";

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("^((?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/"
            + PATH_COMPONENT + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
    private static final Pattern IDENTIFIER = Pattern.compile("^[a-f0-9]{64}$");
    private static final int NAME_MAX = 255;

    /**
     * Parses an image reference as the kubelet does (distribution's normalized-name rules) and
     * applies the default tag {@code latest} when neither tag nor digest is given.
     *
     * @throws ImageException.InvalidImageName with the kubelet's message when it does not parse
     */
    public static ImageRef parse(String image) {
        try {
            return parseStrict(image);
        } catch (IllegalArgumentException e) {
            throw new ImageException.InvalidImageName("Failed to apply default image tag \"" + image
                    + "\": couldn't parse image reference \"" + image + "\": " + e.getMessage());
        }
    }

    private static ImageRef parseStrict(String s) {
        if (IDENTIFIER.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid repository name (" + s
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String domain;
        String remainder;
        int slash = s.indexOf('/');
        String first = slash < 0 ? "" : s.substring(0, slash);
        if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.toLowerCase(Locale.ROOT).equals(first))) {
            domain = DOCKER_HUB;
            remainder = s;
        } else {
            domain = first;
            remainder = s.substring(slash + 1);
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !remainder.contains("/")) {
            remainder = "library/" + remainder;
        }
        int colon = remainder.indexOf(':');
        String remoteName = colon < 0 ? remainder : remainder.substring(0, colon);
        if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
            throw new IllegalArgumentException("invalid reference format: repository name (" + remoteName
                    + ") must be lowercase");
        }
        String full = domain + "/" + remainder;
        Matcher m = REFERENCE.matcher(full);
        if (!m.matches()) {
            if (REFERENCE.matcher(full.toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException("repository name must be lowercase");
            }
            throw new IllegalArgumentException("invalid reference format");
        }
        if (m.group(1).length() > NAME_MAX) {
            throw new IllegalArgumentException("repository name must not be more than " + NAME_MAX + " characters");
        }
        String digest = m.group(3);
        if (digest != null) {
            validateDigest(digest);
        }
        String tag = m.group(2);
        if (tag == null && digest == null) {
            tag = "latest";
        }
        String path = m.group(1).substring(domain.length() + 1);
        return new ImageRef(domain, path, tag, digest, s);
    }

    private static void validateDigest(String digest) {
        int colon = digest.indexOf(':');
        String algorithm = digest.substring(0, colon);
        String hex = digest.substring(colon + 1);
        int length = switch (algorithm) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> throw new IllegalArgumentException("unsupported digest algorithm");
        };
        if (hex.length() != length) {
            throw new IllegalArgumentException("invalid checksum digest length");
        }
        if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("invalid checksum digest format");
        }
        if (!algorithm.equals("sha256")) {
            // Registries and this store address content by sha256 only.
            throw new IllegalArgumentException("unsupported digest algorithm");
        }
    }

    /** {@code domain/path}, e.g. {@code docker.io/library/busybox}. */
    public String repository() {
        return domain + "/" + path;
    }

    /**
     * The full normalized reference: {@code docker.io/library/busybox:latest}, or with
     * {@code @sha256:...} when a digest is pinned. This is the name images are recorded under.
     */
    public String name() {
        return repository() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** What goes after {@code /manifests/} in a registry request: the digest if pinned, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** {@code repository@digest}: the form Kubernetes shows as a container's {@code imageID}. */
    public String withDigest(String manifestDigest) {
        return repository() + "@" + manifestDigest;
    }

    @Override
    public String toString() {
        return name();
    }
}
