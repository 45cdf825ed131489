package io.kubevisor.apiserver.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.meta.Validation;

/**
 * A parsed label selector in Kubernetes' string syntax: {@code a=b,c!=d,e in (f,g),h notin (i),j,!k,l>5}.
 * Immutable.
 */
public final class LabelSelector {

    /** One requirement; all must hold. */
    public record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
                case GREATER_THAN -> v != null && compare(v) > 0;
                case LESS_THAN -> v != null && compare(v) < 0;
            };
        }

        private int compare(String v) {
            try {
                return Long.compare(Long.parseLong(v), Long.parseLong(values.iterator().next()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    public enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public static LabelSelector of(List<Requirement> requirements) {
        return new LabelSelector(requirements);
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Parses the {@code labelSelector} query parameter; syntax errors are a 400. */
    public static LabelSelector parse(String s) {
        if (s == null || s.isBlank()) {
            return EVERYTHING;
        }
        return new Parser(s).parse();
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        LabelSelector parse() {
            List<Requirement> out = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (pos >= s.length()) {
                    break;
                }
                out.add(requirement());
                skipSpaces();
                if (pos < s.length()) {
                    expect(',');
                }
            }
            return new LabelSelector(out);
        }

        private Requirement requirement() {
            if (peek() == '!') {
                pos++;
                skipSpaces();
                String key = key();
                return new Requirement(key, Op.DOES_NOT_EXIST, Set.of());
            }
            String key = key();
            skipSpaces();
            if (pos >= s.length() || peek() == ',') {
                return new Requirement(key, Op.EXISTS, Set.of());
            }
            if (s.startsWith("==", pos)) {
                pos += 2;
                return new Requirement(key, Op.EQUALS, Set.of(value()));
            }
            if (s.startsWith("!=", pos)) {
                pos += 2;
                return new Requirement(key, Op.NOT_EQUALS, Set.of(value()));
            }
            if (peek() == '=') {
                pos++;
                return new Requirement(key, Op.EQUALS, Set.of(value()));
            }
            if (peek() == '>' || peek() == '<') {
                Op op = peek() == '>' ? Op.GREATER_THAN : Op.LESS_THAN;
                pos++;
                String v = value();
                try {
                    Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw fail("for 'Gt', 'Lt' operators, the value must be an integer");
                }
                return new Requirement(key, op, Set.of(v));
            }
            if (s.startsWith("notin", pos)) {
                pos += 5;
                return new Requirement(key, Op.NOT_IN, set());
            }
            if (s.startsWith("in", pos)) {
                pos += 2;
                return new Requirement(key, Op.IN, set());
            }
            throw fail("found '" + s.substring(pos) + "', expected: in, notin, =, ==, !=, gt, lt");
        }

        private Set<String> set() {
            skipSpaces();
            expect('(');
            Set<String> values = new TreeSet<>();
            while (true) {
                skipSpaces();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                values.add(word());
                skipSpaces();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ')') {
                    throw fail("expected ',' or ')'");
                }
            }
            return values;
        }

        private String key() {
            String k = word();
            if (k.isEmpty()) {
                throw fail("found '" + rest() + "', expected: !, identifier, or 'end of string'");
            }
            List<String> errs = Validation.qualifiedName(k);
            if (!errs.isEmpty()) {
                throw fail("invalid label key \"" + k + "\": " + String.join("; ", errs));
            }
            return k;
        }

        private String value() {
            skipSpaces();
            String v = word();
            List<String> errs = Validation.labelValue(v);
            if (!errs.isEmpty()) {
                throw fail("invalid label value: \"" + v + "\": at key: " + String.join("; ", errs));
            }
            return v;
        }

        private String word() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ',' || c == '=' || c == '!' || c == '(' || c == ')' || c == '<' || c == '>' || c == ' ') {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fail("found '" + rest() + "', expected: '" + c + "'");
            }
            pos++;
        }

        private String rest() {
            return pos < s.length() ? s.substring(pos) : "";
        }

        private void skipSpaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        private ApiException fail(String why) {
            return new ApiException.BadRequest("unable to parse requirement: " + why);
        }
    }
}
