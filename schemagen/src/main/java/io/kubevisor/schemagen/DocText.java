package io.kubevisor.schemagen;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns Go doc comment lines into the description text Kubernetes' generators produce: lines
 * joined by spaces, blank lines kept as paragraph breaks, indented lines kept on their own
 * line, marker ({@code +...}) and one-line TODO lines dropped, everything after {@code ---} cut.
 */
final class DocText {

    private DocText() {
    }

    static String format(List<String> commentLines) {
        return formatRaw(commentText(commentLines));
    }

    /** What Go's ast.CommentGroup.Text() yields for these {@code //} lines. */
    static String commentText(List<String> commentLines) {
        List<String> lines = new ArrayList<>();
        for (String l : commentLines) {
            if (l.startsWith("go:") || l.startsWith("line ")) {
                continue; // compiler directives are not documentation
            }
            String line = l.startsWith(" ") ? l.substring(1) : l;
            lines.add(line.stripTrailing());
        }
        while (!lines.isEmpty() && lines.getFirst().isEmpty()) {
            lines.removeFirst();
        }
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        StringBuilder b = new StringBuilder();
        String prev = null;
        for (String line : lines) {
            if (line.isEmpty() && prev != null && prev.isEmpty()) {
                continue;
            }
            b.append(line).append('\n');
            prev = line;
        }
        return b.toString();
    }

    static String formatRaw(String rawDoc) {
        int cut = rawDoc.indexOf("---");
        if (cut >= 0) {
            rawDoc = rawDoc.substring(0, cut);
        }
        StringBuilder buffer = new StringBuilder();
        for (String l : rawDoc.split("\n", -1)) {
            String line = stripTrailingSpaces(l);
            String leading = stripLeadingSpaces(line);
            if (line.isEmpty()) {
                deleteLast(buffer);
                buffer.append("\n\n");
            } else if (leading.startsWith("TODO") || leading.startsWith("+")) {
                continue;
            } else if (line.startsWith(" ") || line.startsWith("\t")) {
                deleteLast(buffer);
                buffer.append('\n').append(line).append('\n');
            } else {
                buffer.append(line).append(' ');
            }
        }
        int end = buffer.length();
        while (end > 0 && buffer.charAt(end - 1) == '\n') {
            end--;
        }
        return buffer.substring(0, end).replace("\\\"", "\"");
    }

    private static void deleteLast(StringBuilder b) {
        if (!b.isEmpty()) {
            b.setLength(b.length() - 1);
        }
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String stripLeadingSpaces(String s) {
        int start = 0;
        while (start < s.length() && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start);
    }
}
