package io.kubevisor.apiserver.kinds.pod;

import java.util.regex.Pattern;

/**
 * Image references as Kubernetes reads them for the default pull policy: {@code Always} when the
 * tag is {@code latest} or missing (no digest either), {@code IfNotPresent} otherwise, and also
 * when the reference does not parse. Stateless.
 */
final class ImageNames {

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("^(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");

    private ImageNames() {
    }

    /** The pull policy Kubernetes defaults to for {@code image}. */
    static String defaultPullPolicy(String image) {
        return "latest".equals(tag(image)) ? "Always" : "IfNotPresent";
    }

    /** The tag, "latest" when neither tag nor digest is given, "" when there is only a digest or the reference is bad. */
    static String tag(String image) {
        var m = REFERENCE.matcher(image);
        if (!m.matches() || m.group(1).length() > 255) {
            return "";
        }
        String tag = m.group(2);
        String digest = m.group(3);
        if (tag == null && digest == null) {
            return "latest";
        }
        return tag == null ? "" : tag;
    }
}
