package io.kubevisor.runtime.provider;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion in env values, commands and args: a defined variable is
 * replaced, an undefined one is left as written, {@code $$} is a literal {@code $}. Stateless.
 */
final class Expansion {

    private Expansion() {
    }

    static String expand(String input, Map<String, String> vars) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder();
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int advance = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                } else {
                    String name = input.substring(cursor + 2, close);
                    String value = vars.get(name);
                    out.append(value != null ? value : "$(" + name + ")");
                    advance = close - cursor;
                }
            } else {
                out.append('$').append(next);
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        out.append(input, Math.min(checkpoint, input.length()), input.length());
        return out.toString();
    }
}
