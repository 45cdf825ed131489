package io.kubevisor.apiserver.auth.authn;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.auth.rbac.Attributes;
import io.kubevisor.apiserver.auth.rbac.Authorizer;
import io.kubevisor.apiserver.auth.rbac.Decision;

/**
 * Kubernetes user impersonation ({@code kubectl --as alice --as-group devs}): the request headers
 * {@code Impersonate-User}, {@code Impersonate-Group} (repeatable), {@code Impersonate-Uid} and
 * {@code Impersonate-Extra-<key>} (repeatable) make the request act as another user, provided the
 * requester may {@code impersonate} each of them. Stateless and thread-safe.
 */
public final class Impersonation {

    public static final String USER_HEADER = "impersonate-user";
    public static final String GROUP_HEADER = "impersonate-group";
    public static final String UID_HEADER = "impersonate-uid";
    public static final String EXTRA_HEADER_PREFIX = "impersonate-extra-";
    private static final String AUTHENTICATION_GROUP = "authentication.k8s.io";

    private Impersonation() {
    }

    /** True if any impersonation header is present (names compared case-insensitively). */
    public static boolean requested(Map<String, List<String>> headers) {
        for (String h : headers.keySet()) {
            String n = h.toLowerCase(Locale.ROOT);
            if (n.equals(USER_HEADER) || n.equals(GROUP_HEADER) || n.equals(UID_HEADER)
                    || n.startsWith(EXTRA_HEADER_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Resolves who the request acts as.
     *
     * @param requester the authenticated user
     * @param headers   request headers; names are compared case-insensitively
     * @param authz     decides whether the requester may impersonate each user, group, uid and extra
     * @return the requester when no impersonation header is present; otherwise the impersonated user,
     *         with {@value UserInfo#AUTHENTICATED} added as Kubernetes does
     * @throws ApiException.Forbidden  with Kubernetes' message (e.g. {@code users "alice" is forbidden:
     *                                 User "bob" cannot impersonate resource "users" in API group ""
     *                                 at the cluster scope}) for the first thing the requester may not
     *                                 impersonate
     * @throws ApiException.BadRequest if groups, uid or extra are asked for without a user, or the user
     *                                 header is repeated
     */
    public static UserInfo resolve(UserInfo requester, Map<String, List<String>> headers, Authorizer authz) {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        Map<String, List<String>> extra = new LinkedHashMap<>();
        headers.forEach((header, values) -> {
            String n = header.toLowerCase(Locale.ROOT);
            if (n.equals(USER_HEADER)) {
                users.addAll(values);
            } else if (n.equals(GROUP_HEADER)) {
                groups.addAll(values);
            } else if (n.equals(UID_HEADER)) {
                uids.addAll(values);
            } else if (n.startsWith(EXTRA_HEADER_PREFIX)) {
                // Kubernetes percent-encodes extra keys into header names and lower-cases them.
                // Path-unescaping keeps '+' as is, unlike form decoding.
                String key = URLDecoder.decode(n.substring(EXTRA_HEADER_PREFIX.length()).replace("+", "%2B"),
                        StandardCharsets.UTF_8);
                extra.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values);
            }
        });
        if (users.isEmpty()) {
            if (!groups.isEmpty() || !uids.isEmpty() || !extra.isEmpty()) {
                throw new ApiException.BadRequest("requested impersonation of "
                        + describe(groups, uids, extra) + " without impersonating a user");
            }
            return requester;
        }
        if (users.size() > 1) {
            throw new ApiException.BadRequest("only one Impersonate-User header is allowed, got " + users.size());
        }
        if (uids.size() > 1) {
            throw new ApiException.BadRequest("only one Impersonate-Uid header is allowed, got " + uids.size());
        }
        String user = users.getFirst();
        List<String> resultGroups = new ArrayList<>(groups);

        if (user.startsWith(UserInfo.SERVICE_ACCOUNT_PREFIX) && serviceAccount(user) != null) {
            String[] sa = serviceAccount(user);
            check(requester, authz, Attributes.resource(requester, "impersonate", sa[0], "", "serviceaccounts", "",
                    sa[1]));
            if (groups.isEmpty()) {
                // A service account's groups are a fixed mapping, so Kubernetes fills them in.
                resultGroups.addAll(UserInfo.serviceAccountGroups(sa[0]));
            }
        } else {
            check(requester, authz, Attributes.resource(requester, "impersonate", "", "", "users", "", user));
        }
        for (String g : groups) {
            check(requester, authz, Attributes.resource(requester, "impersonate", "", "", "groups", "", g));
        }
        for (var e : extra.entrySet()) {
            for (String v : e.getValue()) {
                check(requester, authz, Attributes.resource(requester, "impersonate", "", AUTHENTICATION_GROUP,
                        "userextras", e.getKey(), v));
            }
        }
        for (String uid : uids) {
            check(requester, authz, Attributes.resource(requester, "impersonate", "", AUTHENTICATION_GROUP, "uids",
                    "", uid));
        }

        if (user.equals(UserInfo.ANONYMOUS)) {
            if (!resultGroups.contains(UserInfo.UNAUTHENTICATED)) {
                resultGroups.add(UserInfo.UNAUTHENTICATED);
            }
        } else if (!resultGroups.contains(UserInfo.AUTHENTICATED) && !resultGroups.contains(UserInfo.UNAUTHENTICATED)) {
            resultGroups.add(UserInfo.AUTHENTICATED);
        }
        return new UserInfo(user, uids.isEmpty() ? "" : uids.getFirst(), resultGroups, extra);
    }

    private static void check(UserInfo requester, Authorizer authz, Attributes a) {
        Decision d = authz.authorize(a);
        if (!d.allowed()) {
            throw a.forbidden(d.reason());
        }
    }

    /** {namespace, name} of a {@code system:serviceaccount:<ns>:<name>} user, or null if malformed. */
    private static String[] serviceAccount(String user) {
        String rest = user.substring(UserInfo.SERVICE_ACCOUNT_PREFIX.length());
        String[] parts = rest.split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return null;
        }
        return parts;
    }

    private static String describe(List<String> groups, List<String> uids, Map<String, List<String>> extra) {
        var parts = new ArrayList<String>();
        groups.forEach(g -> parts.add("group \"" + g + "\""));
        uids.forEach(u -> parts.add("uid \"" + u + "\""));
        extra.forEach((k, v) -> parts.add("extra \"" + k + "\"=" + v));
        return String.join(", ", parts);
    }
}
