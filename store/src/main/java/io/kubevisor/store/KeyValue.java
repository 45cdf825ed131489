package io.kubevisor.store;

/**
 * One stored value at one revision. The value bytes are owned by the caller once returned:
 * stores hand out their own copies and never touch them again, so a caller may keep or even
 * modify them.
 *
 * @param key            the full key, e.g. {@code /registry/pods/default/web}
 * @param value          the stored bytes (an API object in JSON)
 * @param createRevision the revision that created this key (since its last deletion)
 * @param modRevision    the revision of the last write to this key
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {
}
