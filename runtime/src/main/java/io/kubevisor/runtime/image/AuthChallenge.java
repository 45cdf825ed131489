package io.kubevisor.runtime.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header, e.g.
 * {@code Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"}.
 *
 * @param scheme lowercase ({@code bearer}, {@code basic})
 * @param params parameter names in lowercase
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    /** Parses every challenge of every header value; unparsable text is skipped. */
    static List<AuthChallenge> parse(List<String> headerValues) {
        List<AuthChallenge> out = new ArrayList<>();
        for (String v : headerValues) {
            parseOne(v, out);
        }
        return out;
    }

    private static void parseOne(String s, List<AuthChallenge> out) {
        int i = 0;
        int n = s.length();
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '=' && s.charAt(i) != ',') {
                i++;
            }
            if (start == i) {
                break;
            }
            String token = s.substring(start, i);
            if (i < n && s.charAt(i) == '=') {
                i++;
                StringBuilder value = new StringBuilder();
                if (i < n && s.charAt(i) == '"') {
                    i++;
                    while (i < n && s.charAt(i) != '"') {
                        if (s.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        value.append(s.charAt(i++));
                    }
                    i++;
                } else {
                    while (i < n && s.charAt(i) != ',' && s.charAt(i) != ' ') {
                        value.append(s.charAt(i++));
                    }
                }
                if (scheme != null) {
                    params.put(token.toLowerCase(Locale.ROOT), value.toString());
                }
            } else {
                // A bare token starts a new challenge.
                if (scheme != null) {
                    out.add(new AuthChallenge(scheme, Map.copyOf(params)));
                    params.clear();
                }
                scheme = token.toLowerCase(Locale.ROOT);
            }
        }
        if (scheme != null) {
            out.add(new AuthChallenge(scheme, Map.copyOf(params)));
        }
    }
}
