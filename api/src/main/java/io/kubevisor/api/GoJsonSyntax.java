package io.kubevisor.api;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds the first JSON syntax error in a body and describes it in the words of Go's
 * {@code encoding/json} scanner ({@code invalid character 'n' looking for beginning of object key
 * string}, {@code unexpected end of JSON input}), which kube-apiserver puts in its 400 answers and
 * users match on. A small state machine with the scanner's states; stateless and thread-safe.
 */
public final class GoJsonSyntax {

    private GoJsonSyntax() {
    }

    private enum Ctx { OBJECT_KEY, OBJECT_VALUE, ARRAY_VALUE }

    private enum State {
        BEGIN_VALUE, BEGIN_VALUE_OR_EMPTY, BEGIN_STRING_OR_EMPTY, BEGIN_STRING, END_VALUE, END_TOP, IN_STRING,
        IN_STRING_ESC, IN_STRING_U, NEG, ZERO, ONE, DOT, DOT0, E, E_SIGN, E0, LITERAL
    }

    /** The Go error text for the first syntax error, or null when the body is syntactically valid JSON. */
    public static String describe(byte[] body) {
        Deque<Ctx> stack = new ArrayDeque<>();
        State state = State.BEGIN_VALUE;
        String literal = null;
        int literalPos = 0;
        int hex = 0;
        for (byte b : body) {
            int c = b & 0xff;
            boolean reprocess = true;
            while (reprocess) {
                reprocess = false;
                switch (state) {
                    case BEGIN_VALUE_OR_EMPTY -> {
                        if (space(c)) {
                            break;
                        }
                        if (c == ']') {
                            stack.pop();
                            state = State.END_VALUE;
                            break;
                        }
                        state = State.BEGIN_VALUE;
                        reprocess = true;
                    }
                    case BEGIN_VALUE -> {
                        if (space(c)) {
                            break;
                        }
                        switch (c) {
                            case '{' -> {
                                stack.push(Ctx.OBJECT_KEY);
                                state = State.BEGIN_STRING_OR_EMPTY;
                            }
                            case '[' -> {
                                stack.push(Ctx.ARRAY_VALUE);
                                state = State.BEGIN_VALUE_OR_EMPTY;
                            }
                            case '"' -> state = State.IN_STRING;
                            case '-' -> state = State.NEG;
                            case '0' -> state = State.ZERO;
                            case 't', 'f', 'n' -> {
                                literal = c == 't' ? "true" : c == 'f' ? "false" : "null";
                                literalPos = 1;
                                state = State.LITERAL;
                            }
                            default -> {
                                if (c >= '1' && c <= '9') {
                                    state = State.ONE;
                                } else {
                                    return error(c, "looking for beginning of value");
                                }
                            }
                        }
                    }
                    case BEGIN_STRING_OR_EMPTY -> {
                        if (space(c)) {
                            break;
                        }
                        if (c == '}') {
                            stack.pop();
                            state = State.END_VALUE;
                            break;
                        }
                        state = State.BEGIN_STRING;
                        reprocess = true;
                    }
                    case BEGIN_STRING -> {
                        if (space(c)) {
                            break;
                        }
                        if (c != '"') {
                            return error(c, "looking for beginning of object key string");
                        }
                        state = State.IN_STRING;
                    }
                    case END_VALUE -> {
                        if (space(c)) {
                            break;
                        }
                        Ctx top = stack.peek();
                        if (top == null) {
                            state = State.END_TOP;
                            reprocess = true;
                            break;
                        }
                        switch (top) {
                            case OBJECT_KEY -> {
                                if (c != ':') {
                                    return error(c, "after object key");
                                }
                                stack.pop();
                                stack.push(Ctx.OBJECT_VALUE);
                                state = State.BEGIN_VALUE;
                            }
                            case OBJECT_VALUE -> {
                                if (c == ',') {
                                    stack.pop();
                                    stack.push(Ctx.OBJECT_KEY);
                                    state = State.BEGIN_STRING;
                                } else if (c == '}') {
                                    stack.pop();
                                    state = State.END_VALUE;
                                } else {
                                    return error(c, "after object key:value pair");
                                }
                            }
                            case ARRAY_VALUE -> {
                                if (c == ',') {
                                    state = State.BEGIN_VALUE;
                                } else if (c == ']') {
                                    stack.pop();
                                    state = State.END_VALUE;
                                } else {
                                    return error(c, "after array element");
                                }
                            }
                        }
                    }
                    case END_TOP -> {
                        if (!space(c)) {
                            return error(c, "after top-level value");
                        }
                    }
                    case IN_STRING -> {
                        if (c == '"') {
                            state = State.END_VALUE;
                        } else if (c == '\\') {
                            state = State.IN_STRING_ESC;
                        } else if (c < 0x20) {
                            return error(c, "in string literal");
                        }
                    }
                    case IN_STRING_ESC -> {
                        switch (c) {
                            case 'b', 'f', 'n', 'r', 't', '\\', '/', '"' -> state = State.IN_STRING;
                            case 'u' -> {
                                hex = 0;
                                state = State.IN_STRING_U;
                            }
                            default -> {
                                return error(c, "in string escape code");
                            }
                        }
                    }
                    case IN_STRING_U -> {
                        if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                            return error(c, "in \\u hexadecimal character escape");
                        }
                        if (++hex == 4) {
                            state = State.IN_STRING;
                        }
                    }
                    case NEG -> {
                        if (c == '0') {
                            state = State.ZERO;
                        } else if (c >= '1' && c <= '9') {
                            state = State.ONE;
                        } else {
                            return error(c, "in numeric literal");
                        }
                    }
                    case ONE, ZERO -> {
                        if (state == State.ONE && c >= '0' && c <= '9') {
                            break;
                        }
                        if (c == '.') {
                            state = State.DOT;
                        } else if (c == 'e' || c == 'E') {
                            state = State.E;
                        } else {
                            state = State.END_VALUE;
                            reprocess = true;
                        }
                    }
                    case DOT -> {
                        if (c >= '0' && c <= '9') {
                            state = State.DOT0;
                        } else {
                            return error(c, "after decimal point in numeric literal");
                        }
                    }
                    case DOT0 -> {
                        if (c >= '0' && c <= '9') {
                            break;
                        }
                        if (c == 'e' || c == 'E') {
                            state = State.E;
                        } else {
                            state = State.END_VALUE;
                            reprocess = true;
                        }
                    }
                    case E -> {
                        if (c == '+' || c == '-') {
                            state = State.E_SIGN;
                        } else {
                            state = State.E_SIGN;
                            reprocess = true;
                        }
                    }
                    case E_SIGN -> {
                        if (c >= '0' && c <= '9') {
                            state = State.E0;
                        } else {
                            return error(c, "in exponent of numeric literal");
                        }
                    }
                    case E0 -> {
                        if (!(c >= '0' && c <= '9')) {
                            state = State.END_VALUE;
                            reprocess = true;
                        }
                    }
                    case LITERAL -> {
                        char want = literal.charAt(literalPos);
                        if (c != want) {
                            return error(c, "in literal " + literal + " (expecting '" + want + "')");
                        }
                        if (++literalPos == literal.length()) {
                            state = State.END_VALUE;
                        }
                    }
                }
            }
        }
        boolean complete = stack.isEmpty() && (state == State.END_VALUE || state == State.END_TOP || state == State.ONE
                || state == State.ZERO || state == State.DOT0 || state == State.E0);
        return complete ? null : "unexpected end of JSON input";
    }

    private static boolean space(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static String error(int c, String context) {
        return "invalid character " + quote(c) + " " + context;
    }

    /** Go's quoteChar: the byte between single quotes, escaped as strconv.Quote would. */
    static String quote(int c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        return switch (c) {
            case '\\' -> "'\\\\'";
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            case '\t' -> "'\\t'";
            case 7 -> "'\\a'";
            case 8 -> "'\\b'";
            case 12 -> "'\\f'";
            case 11 -> "'\\v'";
            default -> c < 0x20 || c == 0x7f ? "'\\x" + String.format("%02x", c) + "'" : "'" + (char) c + "'";
        };
    }
}
