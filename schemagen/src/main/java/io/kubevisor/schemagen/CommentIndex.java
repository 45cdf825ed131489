package io.kubevisor.schemagen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.schemagen.GoLexer.Kind;
import io.kubevisor.schemagen.GoLexer.Token;

/**
 * Finds the comment groups above a declaration line, as Go's tooling attaches them: the doc
 * comment is the run of comment-only lines directly above; generators also read markers from
 * the group one blank line above that.
 */
final class CommentIndex {

    private final Map<Integer, String> comments;
    private final Set<Integer> codeLines = new HashSet<>();

    CommentIndex(GoLexer.Result lexed) {
        this.comments = lexed.lineComments();
        for (Token t : lexed.tokens()) {
            if (t.kind() != Kind.SEMI && t.kind() != Kind.EOF) {
                codeLines.add(t.line());
            }
        }
    }

    /** The comment lines directly above {@code line}, top to bottom. */
    List<String> docAbove(int line) {
        int first = line;
        while (comments.containsKey(first - 1)) {
            first--;
        }
        List<String> out = new ArrayList<>();
        for (int l = first; l < line; l++) {
            out.add(comments.get(l));
        }
        return out;
    }

    /** The comment group that ends one blank line above the doc comment of {@code line}. */
    List<String> secondDocAbove(int line) {
        int first = line;
        while (comments.containsKey(first - 1)) {
            first--;
        }
        int blank = first - 1;
        if (comments.containsKey(blank) || codeLines.contains(blank) || !comments.containsKey(blank - 1)) {
            return List.of();
        }
        return docAbove(blank);
    }
}
