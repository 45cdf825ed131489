package io.kubevisor.runtime.image;

/**
 * One tar header, after PAX and GNU long-name records have been applied.
 *
 * @param name     the member's path as stored (not yet checked for safety)
 * @param type     what the member is
 * @param size     bytes of content that follow (regular files)
 * @param mode     permission bits including setuid, setgid and sticky (07777)
 * @param uid      owner
 * @param gid      group
 * @param mtime    modification time, seconds since the epoch
 * @param linkName symlink target or hardlink source path, else empty
 */
record TarEntry(String name, Type type, long size, int mode, long uid, long gid, long mtime, String linkName) {

    enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER }
}
