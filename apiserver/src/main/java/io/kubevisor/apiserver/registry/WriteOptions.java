package io.kubevisor.apiserver.registry;

import io.kubevisor.apiserver.auth.authn.UserInfo;

/**
 * How a write is carried out, and for whom.
 *
 * @param dryRun       validate and answer, but store nothing
 * @param fieldManager the manager recorded in managedFields
 * @param applied      the object comes from server-side apply, which has recorded field
 *                     ownership itself (the registry must not record an Update on top)
 * @param user         who asked, for admission; {@link UserInfo#apiServer()} when null
 */
public record WriteOptions(boolean dryRun, String fieldManager, boolean applied, UserInfo user) {

    public WriteOptions {
        user = user == null ? UserInfo.apiServer() : user;
    }

    /** The server's own write. */
    public WriteOptions(boolean dryRun, String fieldManager) {
        this(dryRun, fieldManager, false, null);
    }

    public static WriteOptions defaults() {
        return new WriteOptions(false, "unknown", false, null);
    }

    public WriteOptions asApply() {
        return new WriteOptions(dryRun, fieldManager, true, user);
    }
}
