package io.kubevisor.store;

/**
 * A range read over keys starting with {@code prefix}.
 *
 * @param prefix     key prefix; must end with "/" for a directory-style range
 * @param revision   the revision to read at; 0 means the current revision
 * @param limit      the most items to return; 0 means all
 * @param startAfter return only keys strictly after this one (paging); null for the start
 */
public record ListRequest(String prefix, long revision, long limit, String startAfter) {

    public static ListRequest all(String prefix) {
        return new ListRequest(prefix, 0, 0, null);
    }
}
