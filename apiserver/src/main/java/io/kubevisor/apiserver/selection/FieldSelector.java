package io.kubevisor.apiserver.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.ApiException;

/**
 * A parsed field selector: {@code metadata.name=x,status.phase!=Running}. Only fields a
 * resource declares selectable may be used. Immutable.
 */
public final class FieldSelector {

    /** One term; {@code equals} false means {@code !=}. */
    public record Term(String field, String value, boolean equals) {
    }

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    public List<Term> terms() {
        return terms;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public boolean matches(Map<String, String> fields) {
        for (Term t : terms) {
            String v = fields.getOrDefault(t.field(), "");
            if (t.equals() != v.equals(t.value())) {
                return false;
            }
        }
        return true;
    }

    /** The value a selector pins for a field with {@code =}, if any (e.g. metadata.name). */
    public java.util.Optional<String> exact(String field) {
        for (Term t : terms) {
            if (t.equals() && t.field().equals(field)) {
                return java.util.Optional.of(t.value());
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Parses the {@code fieldSelector} parameter.
     *
     * @param supported the selectable fields of the resource; others are a 400 as in Kubernetes
     */
    public static FieldSelector parse(String s, Set<String> supported) {
        if (s == null || s.isBlank()) {
            return EVERYTHING;
        }
        List<Term> out = new ArrayList<>();
        for (String part : splitTerms(s)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            Term t;
            int ne = p.indexOf("!=");
            int deq = p.indexOf("==");
            int eq = p.indexOf('=');
            if (ne >= 0) {
                t = new Term(p.substring(0, ne).trim(), unescape(p.substring(ne + 2).trim()), false);
            } else if (deq >= 0) {
                t = new Term(p.substring(0, deq).trim(), unescape(p.substring(deq + 2).trim()), true);
            } else if (eq >= 0) {
                t = new Term(p.substring(0, eq).trim(), unescape(p.substring(eq + 1).trim()), true);
            } else {
                throw new ApiException.BadRequest("invalid selector: '" + s + "'; can't understand '" + p + "'");
            }
            if (!supported.contains(t.field())) {
                throw new ApiException.BadRequest("field label not supported: " + t.field());
            }
            out.add(t);
        }
        return new FieldSelector(out);
    }

    // Values may contain escaped commas and equals signs (\, \=), as in Kubernetes.
    private static List<String> splitTerms(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String unescape(String v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                sb.append(v.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
