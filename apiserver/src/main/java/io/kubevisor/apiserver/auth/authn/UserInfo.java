package io.kubevisor.apiserver.auth.authn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who a request acts as, in Kubernetes' terms. Immutable.
 *
 * @param name   user name, e.g. {@code alice} or {@code system:serviceaccount:ns:sa}; never null
 * @param uid    unique id, or "" when the authenticator has none (x509 has none)
 * @param groups group names, in order, without duplicates
 * @param extra  additional attributes (e.g. scopes); keys are lower case in Kubernetes
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    /** Every authenticated user is in this group. */
    public static final String AUTHENTICATED = "system:authenticated";
    /** The anonymous user is in this group. */
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    /** The anonymous user's name. */
    public static final String ANONYMOUS = "system:anonymous";
    /** RBAC allows every request by a member of this group. */
    public static final String MASTERS = "system:masters";
    /** Service account user names start with this. */
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    /** Every service account is in this group, and in {@code system:serviceaccounts:<namespace>}. */
    public static final String SERVICE_ACCOUNTS = "system:serviceaccounts";

    public UserInfo {
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        groups = groups == null ? List.of() : List.copyOf(groups.stream().distinct().toList());
        var e = new LinkedHashMap<String, List<String>>();
        if (extra != null) {
            extra.forEach((k, v) -> e.put(k, List.copyOf(v)));
        }
        extra = Map.copyOf(e);
    }

    /** A user with a name and groups, no uid and no extra. */
    public static UserInfo of(String name, List<String> groups) {
        return new UserInfo(name, "", groups, Map.of());
    }

    /**
     * The server itself, for writes no client asked for (bootstrap objects, housekeeping): like
     * kube-apiserver's loopback identity, {@code system:apiserver} in {@value #MASTERS}.
     */
    public static UserInfo apiServer() {
        return of("system:apiserver", List.of(AUTHENTICATED, MASTERS));
    }

    /** The anonymous user: {@value #ANONYMOUS} in group {@value #UNAUTHENTICATED}. */
    public static UserInfo anonymous() {
        return of(ANONYMOUS, List.of(UNAUTHENTICATED));
    }

    /** The user name of a service account. */
    public static String serviceAccountName(String namespace, String name) {
        return SERVICE_ACCOUNT_PREFIX + namespace + ":" + name;
    }

    /** The groups Kubernetes gives every service account of a namespace. */
    public static List<String> serviceAccountGroups(String namespace) {
        return List.of(SERVICE_ACCOUNTS, SERVICE_ACCOUNTS + ":" + namespace);
    }

    /**
     * This user with {@value #AUTHENTICATED} appended, as Kubernetes' authenticated-group adder
     * does: unless the user already has it or {@value #UNAUTHENTICATED}.
     */
    public UserInfo withAuthenticatedGroup() {
        if (groups.contains(AUTHENTICATED) || groups.contains(UNAUTHENTICATED)) {
            return this;
        }
        var g = new ArrayList<>(groups);
        g.add(AUTHENTICATED);
        return new UserInfo(name, uid, g, extra);
    }

    /** True if the user is in the group. */
    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
