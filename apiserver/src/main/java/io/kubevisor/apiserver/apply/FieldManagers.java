package io.kubevisor.apiserver.apply;

/**
 * The field manager name of a request. Kubernetes uses the {@code fieldManager} query parameter
 * and, when it is absent, the User-Agent up to its first {@code /} with non-printable characters
 * dropped, cut to 128 bytes: {@code kubectl.1.33/v1.33.1 (linux/amd64) ...} becomes
 * {@code kubectl.1.33}, Go's default agent gives {@code Go-http-client}.
 */
public final class FieldManagers {

    /** Kubernetes' limit on a field manager's length, in bytes. */
    public static final int MAX_LENGTH = 128;

    private FieldManagers() {
    }

    /** The manager for a write: {@code fieldManager} when given, else derived from the User-Agent. */
    public static String resolve(String fieldManager, String userAgent) {
        if (fieldManager != null && !fieldManager.isEmpty()) {
            return fieldManager;
        }
        return fromUserAgent(userAgent);
    }

    /** The User-Agent prefix Kubernetes uses as a manager name (possibly empty). */
    public static String fromUserAgent(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        int slash = userAgent.indexOf('/');
        String prefix = slash >= 0 ? userAgent.substring(0, slash) : userAgent;
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < prefix.length(); ) {
            int cp = prefix.codePointAt(i);
            i += Character.charCount(cp);
            if (!printable(cp)) {
                continue;
            }
            int len = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + len > MAX_LENGTH) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += len;
        }
        return sb.toString();
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean printable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
