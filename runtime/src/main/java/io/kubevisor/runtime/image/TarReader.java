package io.kubevisor.runtime.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a tar stream: POSIX ustar, PAX extended headers (per-entry and global) and GNU long
 * names, with octal or base-256 numbers. Sparse files are refused. Not thread-safe; the caller
 * owns and closes the underlying stream.
 */
final class TarReader {

    private static final int BLOCK = 512;
    private static final int META_MAX = 1 << 20;

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, String> globalPax = new HashMap<>();
    private long remaining;
    private long padding;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next member, or null at the end of the archive; unread content of the previous one is skipped. */
    TarEntry next() throws IOException {
        skipRest();
        Map<String, String> pax = new HashMap<>(globalPax);
        String longName = null;
        String longLink = null;
        while (true) {
            if (!readBlock()) {
                return null;
            }
            if (isZero(header)) {
                return null;
            }
            checkChecksum();
            char flag = (char) (header[156] & 0xff);
            long size = number(124, 12);
            if (size < 0) {
                throw new IOException("tar: negative size");
            }
            switch (flag) {
                case 'x' -> pax.putAll(parsePax(readMeta(size)));
                case 'g' -> {
                    Map<String, String> g = parsePax(readMeta(size));
                    globalPax.putAll(g);
                    pax.putAll(g);
                }
                case 'L' -> longName = cString(readMeta(size));
                case 'K' -> longLink = cString(readMeta(size));
                default -> {
                    return entry(flag, size, pax, longName, longLink);
                }
            }
        }
    }

    /** The current member's content; reading past its end returns -1. Not to be closed. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int r = in.read(b, off, (int) Math.min(len, remaining));
                if (r < 0) {
                    throw new EOFException("tar: truncated member content");
                }
                remaining -= r;
                return r;
            }
        };
    }

    private TarEntry entry(char flag, long size, Map<String, String> pax, String longName, String longLink)
            throws IOException {
        if (flag == 'S' || pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
            throw new IOException("tar: sparse files are not supported");
        }
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
        String name = field(0, 100);
        if (ustar) {
            String prefix = field(345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        if (longName != null) {
            name = longName;
        }
        name = pax.getOrDefault("path", name);
        String link = longLink != null ? longLink : field(157, 100);
        link = pax.getOrDefault("linkpath", link);
        if (pax.containsKey("size")) {
            size = Long.parseLong(pax.get("size"));
        }
        long uid = pax.containsKey("uid") ? Long.parseLong(pax.get("uid")) : number(108, 8);
        long gid = pax.containsKey("gid") ? Long.parseLong(pax.get("gid")) : number(116, 8);
        long mtime = pax.containsKey("mtime") ? (long) Double.parseDouble(pax.get("mtime")) : number(136, 12);
        int mode = (int) (number(100, 8) & 07777);
        TarEntry.Type type = switch (flag) {
            case '0', '\0', '7' -> name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            default -> TarEntry.Type.OTHER;
        };
        // Only regular files (and unknown types, skipped by the caller) carry content.
        long content = switch (type) {
            case FILE, OTHER, HARDLINK -> size;
            default -> 0;
        };
        remaining = content;
        padding = (BLOCK - content % BLOCK) % BLOCK;
        return new TarEntry(name, type, type == TarEntry.Type.FILE ? size : 0, mode, uid, gid, mtime, link);
    }

    private void skipRest() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
    }

    /** Skips by reading: a digesting stream underneath must see every byte. */
    private void skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(n, buf.length));
            if (r < 0) {
                throw new EOFException("tar: truncated archive");
            }
            n -= r;
        }
    }

    private boolean readBlock() throws IOException {
        int off = 0;
        while (off < BLOCK) {
            int r = in.read(header, off, BLOCK - off);
            if (r < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("tar: truncated header");
            }
            off += r;
        }
        return true;
    }

    private byte[] readMeta(long size) throws IOException {
        if (size > META_MAX) {
            throw new IOException("tar: extended header of " + size + " bytes is too large");
        }
        byte[] b = in.readNBytes((int) size);
        if (b.length != size) {
            throw new EOFException("tar: truncated extended header");
        }
        skip((BLOCK - size % BLOCK) % BLOCK);
        return b;
    }

    private void checkChecksum() throws IOException {
        long stored;
        try {
            stored = number(148, 8);
        } catch (IOException e) {
            throw new IOException("tar: header checksum unreadable (not a tar stream?)");
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : header[i];
        }
        if (stored != unsigned && stored != signed) {
            throw new IOException("tar: header checksum mismatch (not a tar stream?)");
        }
    }

    /** An octal field, or a base-256 one (high bit of the first byte set) as GNU writes large values. */
    private long number(int off, int len) throws IOException {
        if ((header[off] & 0x80) != 0) {
            long v = header[off] & 0x3f;
            boolean negative = (header[off] & 0x40) != 0;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw new IOException("tar: numeric field overflows");
                }
                v = (v << 8) | (header[off + i] & 0xff);
            }
            return negative ? -v : v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end; i++) {
            byte b = header[i];
            if (b == ' ' || b == 0) {
                break;
            }
            if (b < '0' || b > '7') {
                throw new IOException("tar: bad octal field at offset " + off);
            }
            v = (v << 3) | (b - '0');
        }
        return v;
    }

    private String field(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** PAX records: {@code "<length> <key>=<value>\n"}, length counting the whole record. */
    private static Map<String, String> parsePax(byte[] data) throws IOException {
        Map<String, String> out = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("tar: malformed PAX record");
            }
            if (length <= 0 || pos + length > data.length || data[pos + length - 1] != '\n') {
                throw new IOException("tar: malformed PAX record");
            }
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw new IOException("tar: malformed PAX record");
            }
            out.put(record.substring(0, eq), record.substring(eq + 1));
            pos += length;
        }
        return out;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
