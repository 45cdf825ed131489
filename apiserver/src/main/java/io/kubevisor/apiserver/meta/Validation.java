package io.kubevisor.apiserver.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes' name and label syntax rules, with the exact messages Kubernetes returns (clients
 * and users match on them).
 */
public final class Validation {

    private Validation() {
    }

    private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL_RE = Pattern.compile("^" + DNS1123_LABEL + "$");
    private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
    private static final Pattern DNS1123_SUBDOMAIN_RE = Pattern.compile("^" + DNS1123_SUBDOMAIN + "$");
    private static final String DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1035_LABEL_RE = Pattern.compile("^" + DNS1035_LABEL + "$");
    private static final String QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED_NAME_RE = Pattern.compile("^" + QUALIFIED_NAME + "$");
    private static final String LABEL_VALUE = "(" + QUALIFIED_NAME + ")?";
    private static final Pattern LABEL_VALUE_RE = Pattern.compile("^" + LABEL_VALUE + "$");

    public static List<String> dns1123Label(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1123_LABEL_RE.matcher(v).matches()) {
            errs.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                    + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                    + "validation is '" + DNS1123_LABEL + "')");
        }
        return errs;
    }

    public static List<String> dns1123Subdomain(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 253) {
            errs.add(maxLen(253));
        }
        if (!DNS1123_SUBDOMAIN_RE.matcher(v).matches()) {
            errs.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                    + "validation is '" + DNS1123_SUBDOMAIN + "')");
        }
        return errs;
    }

    public static List<String> dns1035Label(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1035_LABEL_RE.matcher(v).matches()) {
            errs.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                    + "regex used for validation is '" + DNS1035_LABEL + "')");
        }
        return errs;
    }

    /** Names that are safe as one URL path segment (RBAC objects and others with "minimal" rules). */
    public static List<String> pathSegmentName(String v) {
        List<String> errs = new ArrayList<>();
        if (v.equals(".") || v.equals("..")) {
            errs.add("may not be '" + v + "'");
        }
        for (String bad : new String[] {"/", "%"}) {
            if (v.contains(bad)) {
                errs.add("may not contain '" + bad + "'");
            }
        }
        return errs;
    }

    /** Label and annotation keys, finalizer names: {@code [prefix/]name}. */
    public static List<String> qualifiedName(String v) {
        List<String> errs = new ArrayList<>();
        String name = v;
        String[] parts = v.split("/", -1);
        if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String e : dns1123Subdomain(prefix)) {
                    errs.add("prefix part " + e);
                }
            }
        } else if (parts.length > 2) {
            errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                    + "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    + "validation is '" + QUALIFIED_NAME + "') with an optional DNS subdomain prefix and '/' (e.g. "
                    + "'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part must be no more than 63 characters");
        }
        if (!name.isEmpty() && !QUALIFIED_NAME_RE.matcher(name).matches()) {
            errs.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                    + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    + "validation is '" + QUALIFIED_NAME + "')");
        }
        return errs;
    }

    public static List<String> labelValue(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL_VALUE_RE.matcher(v).matches()) {
            errs.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                    + "'12345', regex used for validation is '" + LABEL_VALUE + "')");
        }
        return errs;
    }

    public static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }
}
