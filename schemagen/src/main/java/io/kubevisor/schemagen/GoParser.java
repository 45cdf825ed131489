package io.kubevisor.schemagen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.schemagen.GoLexer.Kind;
import io.kubevisor.schemagen.GoLexer.Token;

/**
 * A parser for the subset of Go that Kubernetes API type files use: imports, type declarations
 * (structs, named scalars, slices, maps, aliases), typed string constants and
 * {@code map[string]string} variable literals. Function declarations are skipped whole.
 * Not thread-safe; one instance parses one file.
 */
final class GoParser {

    private static final Set<String> BUILTINS = Set.of("bool", "string", "int", "int8", "int16", "int32", "int64",
            "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "float32", "float64", "complex64", "complex128",
            "byte", "rune", "error", "any");

    private final List<Token> toks;
    private final CommentIndex comments;
    private final String pkgPath;
    private final Map<String, String> imports = new HashMap<>();
    private final List<GoFile.TypeDecl> types = new ArrayList<>();
    private final List<GoFile.ConstDecl> consts = new ArrayList<>();
    private final Map<String, Map<String, String>> stringMaps = new LinkedHashMap<>();
    private int i;

    private GoParser(GoLexer.Result lexed, String pkgPath) {
        this.toks = lexed.tokens();
        this.comments = new CommentIndex(lexed);
        this.pkgPath = pkgPath;
    }

    /** Parses one file's source; {@code pkgPath} is the import path of its package. */
    static GoFile parse(String source, String pkgPath) {
        GoParser p = new GoParser(GoLexer.lex(source), pkgPath);
        p.file();
        return new GoFile(pkgPath, List.copyOf(p.types), List.copyOf(p.consts), p.stringMaps);
    }

    private void file() {
        expect("package");
        ident();
        while (peek().kind() != Kind.EOF) {
            Token t = next();
            if (t.kind() == Kind.SEMI) {
                continue;
            }
            switch (t.text()) {
                case "import" -> group(this::importSpec);
                case "type" -> group(this::typeSpec);
                case "const" -> group(this::constSpec);
                case "var" -> group(this::varSpec);
                case "func" -> skipFunc();
                default -> throw error("unexpected top-level token " + t.text(), t);
            }
        }
    }

    private void group(Runnable spec) {
        if (peek().is("(")) {
            next();
            while (!peek().is(")")) {
                if (peek().kind() == Kind.SEMI) {
                    next();
                    continue;
                }
                spec.run();
            }
            next();
        } else {
            spec.run();
        }
    }

    private void importSpec() {
        String alias = null;
        if (peek().kind() == Kind.IDENT || peek().is(".")) {
            alias = next().text();
        }
        Token path = next();
        if (path.kind() != Kind.STRING) {
            throw error("expected import path", path);
        }
        if (alias == null) {
            alias = path.text().substring(path.text().lastIndexOf('/') + 1);
        }
        imports.put(alias, path.text());
        endSpec();
    }

    private void typeSpec() {
        Token nameTok = ident();
        if (peek().is("[") && !toks.get(i + 1).is("]") && toks.get(i + 1).kind() != Kind.NUMBER) {
            skipBalanced("[", "]"); // type parameters: generic types are not API types
            skipToSpecEnd();
            return;
        }
        boolean alias = false;
        if (peek().is("=")) {
            next();
            alias = true;
        }
        GoType type = type();
        List<String> doc = comments.docAbove(nameTok.line());
        List<String> markerDoc = new ArrayList<>(comments.secondDocAbove(nameTok.line()));
        markerDoc.addAll(doc);
        types.add(new GoFile.TypeDecl(nameTok.text(), type, doc, markerDoc, alias));
        endSpec();
    }

    private void constSpec() {
        Token first = ident();
        List<String> names = new ArrayList<>(List.of(first.text()));
        while (peek().is(",")) {
            next();
            names.add(ident().text());
        }
        GoType type = null;
        if (!peek().is("=") && peek().kind() != Kind.SEMI && !peek().is(")")) {
            type = type();
        }
        if (peek().is("=")) {
            next();
            if (names.size() == 1 && type instanceof GoType.Named named && peek().kind() == Kind.STRING
                    && (toks.get(i + 1).kind() == Kind.SEMI || toks.get(i + 1).is(")"))) {
                consts.add(new GoFile.ConstDecl(first.text(), named, next().text(), comments.docAbove(first.line())));
            }
        }
        skipToSpecEnd();
    }

    private void varSpec() {
        Token first = ident();
        while (peek().is(",")) {
            next();
            ident();
        }
        if (!peek().is("=")) {
            type();
        }
        if (peek().is("=")) {
            next();
            if (isStringMapLiteral()) {
                stringMaps.put(first.text(), stringMapLiteral());
            }
        }
        skipToSpecEnd();
    }

    private boolean isStringMapLiteral() {
        String[] want = {"map", "[", "string", "]", "string", "{"};
        for (int k = 0; k < want.length; k++) {
            if (!toks.get(i + k).is(want[k])) {
                return false;
            }
        }
        return true;
    }

    private Map<String, String> stringMapLiteral() {
        i += 6;
        Map<String, String> out = new LinkedHashMap<>();
        while (!peek().is("}")) {
            if (peek().kind() == Kind.SEMI || peek().is(",")) {
                next();
                continue;
            }
            String key = concatenatedString();
            expect(":");
            out.put(key, concatenatedString());
        }
        next();
        return out;
    }

    private String concatenatedString() {
        StringBuilder b = new StringBuilder(string());
        while (peek().is("+")) {
            next();
            while (peek().kind() == Kind.SEMI) {
                next();
            }
            b.append(string());
        }
        return b.toString();
    }

    private String string() {
        Token t = next();
        if (t.kind() != Kind.STRING) {
            throw error("expected string literal", t);
        }
        return t.text();
    }

    private GoType type() {
        Token t = next();
        if (t.is("*")) {
            return new GoType.Pointer(type());
        }
        if (t.is("(")) {
            GoType inner = type();
            expect(")");
            return inner;
        }
        if (t.is("[")) {
            if (peek().is("]")) {
                next();
                return new GoType.Slice(type());
            }
            StringBuilder len = new StringBuilder();
            while (!peek().is("]")) {
                len.append(next().text());
            }
            next();
            return new GoType.Array(len.toString(), type());
        }
        if (t.is("map")) {
            expect("[");
            GoType key = type();
            expect("]");
            return new GoType.MapType(key, type());
        }
        if (t.is("struct")) {
            return struct();
        }
        if (t.is("interface")) {
            skipBalanced("{", "}");
            return new GoType.Other("interface");
        }
        if (t.is("func")) {
            skipBalanced("(", ")");
            if (peek().is("(")) {
                skipBalanced("(", ")");
            } else if (startsType(peek())) {
                type();
            }
            return new GoType.Other("func");
        }
        if (t.is("chan") || t.is("<-")) {
            if (peek().is("chan") || peek().is("<-")) {
                next();
            }
            type();
            return new GoType.Other("chan");
        }
        if (t.kind() == Kind.IDENT) {
            if (peek().is(".")) {
                next();
                String name = ident().text();
                String pkg = imports.get(t.text());
                if (pkg == null) {
                    throw error("unknown package qualifier " + t.text(), t);
                }
                return new GoType.Named(pkg, name);
            }
            return BUILTINS.contains(t.text()) ? new GoType.Named("", t.text()) : new GoType.Named(pkgPath, t.text());
        }
        throw error("unexpected token in type: " + t.text(), t);
    }

    private static boolean startsType(Token t) {
        return t.kind() == Kind.IDENT || t.is("*") || t.is("[") || t.is("(") || t.is("<-");
    }

    private GoType.Struct struct() {
        expect("{");
        List<GoField> fields = new ArrayList<>();
        while (true) {
            if (peek().kind() == Kind.SEMI) {
                next();
                continue;
            }
            if (peek().is("}")) {
                next();
                break;
            }
            Token start = peek();
            List<String> doc = comments.docAbove(start.line());
            boolean embedded = start.is("*")
                    || (start.kind() == Kind.IDENT && (toks.get(i + 1).is(".") || toks.get(i + 1).kind() == Kind.SEMI
                        || toks.get(i + 1).kind() == Kind.STRING || toks.get(i + 1).is("}")));
            List<String> names = new ArrayList<>();
            GoType type;
            if (embedded) {
                type = type();
                GoType base = type instanceof GoType.Pointer(GoType elem) ? elem : type;
                names.add(base instanceof GoType.Named n ? n.name() : "?");
            } else {
                names.add(ident().text());
                while (peek().is(",")) {
                    next();
                    names.add(ident().text());
                }
                type = type();
            }
            String tag = peek().kind() == Kind.STRING ? next().text() : "";
            for (String name : names) {
                fields.add(new GoField(name, embedded, type, tag, doc));
            }
        }
        return new GoType.Struct(fields);
    }

    private void skipFunc() {
        if (peek().is("(")) {
            skipBalanced("(", ")");
        }
        ident();
        if (peek().is("[")) {
            skipBalanced("[", "]");
        }
        skipBalanced("(", ")");
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.SEMI || t.kind() == Kind.EOF) {
                return;
            }
            if (t.is("(")) {
                skipBalanced("(", ")");
            } else if (t.is("[")) {
                skipBalanced("[", "]");
            } else if ((t.is("struct") || t.is("interface")) && toks.get(i + 1).is("{")) {
                next();
                skipBalanced("{", "}");
            } else if (t.is("{")) {
                skipBalanced("{", "}");
                return;
            } else {
                next();
            }
        }
    }

    private void skipBalanced(String open, String close) {
        expect(open);
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            if (t.kind() == Kind.EOF) {
                throw error("unbalanced " + open, t);
            }
            if (t.is(open)) {
                depth++;
            } else if (t.is(close)) {
                depth--;
            }
        }
    }

    /** Skips the rest of a spec: up to a semicolon at depth 0, or the closing paren of its group. */
    private void skipToSpecEnd() {
        int depth = 0;
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.EOF) {
                return;
            }
            if (depth == 0 && (t.kind() == Kind.SEMI || t.is(")"))) {
                if (t.kind() == Kind.SEMI) {
                    next();
                }
                return;
            }
            next();
            if (t.is("(") || t.is("[") || t.is("{")) {
                depth++;
            } else if (t.is(")") || t.is("]") || t.is("}")) {
                depth--;
            }
        }
    }

    private void endSpec() {
        if (peek().kind() == Kind.SEMI) {
            next();
        } else if (!peek().is(")") && peek().kind() != Kind.EOF) {
            throw error("expected end of declaration, got " + peek().text(), peek());
        }
    }

    private Token ident() {
        Token t = next();
        if (t.kind() != Kind.IDENT) {
            throw error("expected identifier, got '" + t.text() + "'", t);
        }
        return t;
    }

    private void expect(String text) {
        Token t = next();
        if (!t.is(text)) {
            throw error("expected '" + text + "', got '" + t.text() + "'", t);
        }
    }

    private Token peek() {
        return toks.get(i);
    }

    private Token next() {
        Token t = toks.get(i);
        if (t.kind() != Kind.EOF) {
            i++;
        }
        return t;
    }

    private IllegalArgumentException error(String message, Token at) {
        return new IllegalArgumentException(pkgPath + ": " + message + " (line " + at.line() + ")");
    }
}
