package io.kubevisor.apiserver.auth.authn;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of RFC 4180 CSV as Go's {@code encoding/csv} reads it with {@code TrimLeadingSpace}:
 * comma-separated, fields optionally double-quoted with {@code ""} for a quote, leading spaces of a
 * field ignored. Multi-line quoted fields are not supported (token files never need them).
 */
final class CsvLine {

    private CsvLine() {
    }

    /** @throws IllegalArgumentException for an unterminated or misplaced quote */
    static List<String> parse(String line) {
        var fields = new ArrayList<String>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            var field = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated quoted field in column " + (fields.size() + 1));
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("extraneous text after closing quote in column "
                            + (fields.size() + 1));
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw new IllegalArgumentException("bare \" in non-quoted field in column " + (fields.size() + 1));
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }
}
