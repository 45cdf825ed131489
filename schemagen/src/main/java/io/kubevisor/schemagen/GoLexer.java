package io.kubevisor.schemagen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits Go source into tokens, inserting the semicolons Go's grammar implies at line ends, and
 * keeps line comments aside by line number so the parser can find the doc comment above a
 * declaration. Only as much of Go as API type files use: no generics-specific handling.
 */
final class GoLexer {

    /** Token kinds. {@code SEMI} is an explicit or inserted semicolon. */
    enum Kind { IDENT, STRING, CHAR, NUMBER, PUNCT, SEMI, EOF }

    /**
     * One token.
     *
     * @param text  identifier or punctuation text; for STRING the decoded value
     * @param raw   for STRING, whether it was a back-quoted raw literal (struct tags are)
     */
    record Token(Kind kind, String text, int line, boolean raw) {
        boolean is(String s) {
            return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(s);
        }
    }

    /** The result: tokens plus line comments keyed by line (text after {@code //}). */
    record Result(List<Token> tokens, Map<Integer, String> lineComments) {
    }

    private static final String[] PUNCTS = {
        "<<=", ">>=", "&^=", "...", "&&", "||", "<-", "++", "--", "==", "!=", "<=", ">=", ":=", "+=", "-=",
        "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "&^",
    };

    private final String src;
    private int pos;
    private int line = 1;
    private final List<Token> tokens = new ArrayList<>();
    private final Map<Integer, String> comments = new TreeMap<>();

    private GoLexer(String src) {
        this.src = src;
    }

    static Result lex(String src) {
        GoLexer l = new GoLexer(src);
        l.run();
        return new Result(List.copyOf(l.tokens), l.comments);
    }

    private void run() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                newline();
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (src.startsWith("//", pos)) {
                int end = src.indexOf('\n', pos);
                end = end < 0 ? src.length() : end;
                // A line that holds only a comment is a doc-comment candidate; trailing comments are not.
                if (lineStartsWithComment()) {
                    comments.put(line, src.substring(pos + 2, end));
                }
                pos = end;
            } else if (src.startsWith("/*", pos)) {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error("unterminated block comment");
                }
                boolean hadNewline = false;
                for (int i = pos; i < end; i++) {
                    if (src.charAt(i) == '\n') {
                        line++;
                        hadNewline = true;
                    }
                }
                if (hadNewline) {
                    insertSemicolon(line - 1);
                }
                pos = end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                add(Kind.IDENT, src.substring(start, pos), false);
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.'
                        || src.charAt(pos) == '_'
                        || ((src.charAt(pos) == '+' || src.charAt(pos) == '-')
                            && "eEpP".indexOf(src.charAt(pos - 1)) >= 0 && !src.startsWith("0x", start)))) {
                    pos++;
                }
                add(Kind.NUMBER, src.substring(start, pos), false);
            } else if (c == '"') {
                add(Kind.STRING, interpreted('"'), false);
            } else if (c == '\'') {
                add(Kind.CHAR, interpreted('\''), false);
            } else if (c == '`') {
                int end = src.indexOf('`', pos + 1);
                if (end < 0) {
                    throw error("unterminated raw string");
                }
                String text = src.substring(pos + 1, end).replace("\r", "");
                int startLine = line;
                line += (int) text.chars().filter(ch -> ch == '\n').count();
                tokens.add(new Token(Kind.STRING, text, startLine, true));
                pos = end + 1;
            } else {
                String p = String.valueOf(c);
                for (String candidate : PUNCTS) {
                    if (src.startsWith(candidate, pos)) {
                        p = candidate;
                        break;
                    }
                }
                pos += p.length();
                add(p.equals(";") ? Kind.SEMI : Kind.PUNCT, p, false);
            }
        }
        newline();
        tokens.add(new Token(Kind.EOF, "", line, false));
    }

    private boolean lineStartsWithComment() {
        for (int i = pos - 1; i >= 0; i--) {
            char c = src.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    private void add(Kind kind, String text, boolean raw) {
        tokens.add(new Token(kind, text, line, raw));
    }

    private void newline() {
        insertSemicolon(line);
        line++;
    }

    /** Go's rule: a line ending in an identifier, literal, closing bracket or some keywords ends a statement. */
    private void insertSemicolon(int atLine) {
        if (tokens.isEmpty()) {
            return;
        }
        Token last = tokens.getLast();
        boolean ends = switch (last.kind()) {
            case IDENT -> true;
            case STRING, CHAR, NUMBER -> true;
            case PUNCT -> last.text().equals(")") || last.text().equals("]") || last.text().equals("}")
                    || last.text().equals("++") || last.text().equals("--");
            default -> false;
        };
        if (ends) {
            tokens.add(new Token(Kind.SEMI, "\n", atLine, false));
        }
    }

    private String interpreted(char quote) {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw error("unterminated literal");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case '\\', '\'', '"' -> out.append(e);
                case 'x' -> out.append(hex(2));
                case 'u' -> out.append(hex(4));
                case 'U' -> out.appendCodePoint(Integer.parseInt(src.substring(pos, pos += 8), 16));
                default -> {
                    if (e >= '0' && e <= '7') {
                        out.append((char) Integer.parseInt(src.substring(pos - 1, pos + 2), 8));
                        pos += 2;
                    } else {
                        throw error("bad escape \\" + e);
                    }
                }
            }
        }
    }

    private char hex(int digits) {
        char c = (char) Integer.parseInt(src.substring(pos, pos + digits), 16);
        pos += digits;
        return c;
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at line " + line);
    }
}
