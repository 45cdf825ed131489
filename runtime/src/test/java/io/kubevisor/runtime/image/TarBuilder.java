package io.kubevisor.runtime.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tar streams member by member, including ones no well-behaved tool would write
 * (absolute names, {@code ..}, links out of the tree), for unpacking tests. Names longer than
 * 100 bytes get a PAX header.
 */
final class TarBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TarBuilder dir(String name, int mode) {
        return header(name, '5', 0, mode, 0, 0, "");
    }

    TarBuilder dir(String name) {
        return dir(name, 0755);
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    TarBuilder file(String name, String content, int mode, int uid, int gid) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        header(name, '0', b.length, mode, uid, gid, "");
        out.writeBytes(b);
        pad(b.length);
        return this;
    }

    TarBuilder symlink(String name, String target) {
        return header(name, '2', 0, 0777, 0, 0, target);
    }

    TarBuilder hardlink(String name, String target) {
        return header(name, '1', 0, 0644, 0, 0, target);
    }

    TarBuilder charDevice(String name) {
        return header(name, '3', 0, 0666, 0, 0, "");
    }

    TarBuilder fifo(String name) {
        return header(name, '6', 0, 0644, 0, 0, "");
    }

    byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    byte[] gzip() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(b)) {
            gz.write(bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    Path writeTo(Path file, boolean gzip) {
        try {
            Files.write(file, gzip ? gzip() : bytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TarBuilder header(String name, char type, long size, int mode, int uid, int gid, String link) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100 || link.getBytes(StandardCharsets.UTF_8).length > 100) {
            StringBuilder pax = new StringBuilder();
            pax.append(record("path", name));
            if (!link.isEmpty()) {
                pax.append(record("linkpath", link));
            }
            byte[] p = pax.toString().getBytes(StandardCharsets.UTF_8);
            raw("PaxHeaders/x", 'x', p.length, 0644, 0, 0, "");
            out.writeBytes(p);
            pad(p.length);
        }
        raw(name, type, size, mode, uid, gid, link);
        return this;
    }

    private static String record(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int digits = String.valueOf(len).length();
        int total = len + digits;
        if (String.valueOf(total).length() > digits) {
            total++;
        }
        return total + body;
    }

    private void raw(String name, char type, long size, int mode, int uid, int gid, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, truncate(name, 100));
        put(h, 100, 8, octal(mode, 7));
        put(h, 108, 8, octal(uid, 7));
        put(h, 116, 8, octal(gid, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(1_700_000_000L, 11));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, truncate(link, 100));
        put(h, 257, 6, "ustar\0");
        put(h, 263, 2, "00");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, octal(sum, 6) + "\0 ");
        out.writeBytes(h);
    }

    private void pad(long size) {
        out.writeBytes(new byte[(int) ((512 - size % 512) % 512)]);
    }

    private static String truncate(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= max ? s : new String(b, 0, max, StandardCharsets.UTF_8);
    }

    private static String octal(long v, int digits) {
        String s = Long.toOctalString(v);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }
}
