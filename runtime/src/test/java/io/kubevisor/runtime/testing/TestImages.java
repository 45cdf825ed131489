package io.kubevisor.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real OCI images for tests, built without any public registry: root filesystems are staged on
 * disk (busybox-static's {@code /bin/busybox} for the runnable one), packed with GNU tar, and
 * written as an OCI image layout under one work directory; {@link #push} copies an image to a
 * {@link LocalRegistry} with skopeo ({@code --format v2s2} for Docker manifests, {@code --all} for
 * indexes) and {@link #archive} writes {@code oci-archive}/{@code docker-archive} files.
 *
 * <p>Images (each built once per instance, all in the layout at {@link #layout()}):
 * <ul>
 *   <li>{@link #busybox()}: one layer (busybox and applet links sh, echo, cat, ls, ...),
 *       Entrypoint {@code /bin/sh}, Cmd {@code -c 'echo hello from image'};</li>
 *   <li>{@link #layered()}: busybox's layer plus two more exercising whiteouts, an opaque
 *       directory, symlinks, hardlinks, setuid and ownership (see {@link Layered});</li>
 *   <li>{@link #multiArch()}: an OCI index with linux/amd64 (busybox + {@code /arch} = amd64) and
 *       linux/arm64 ({@code /arch} = arm64).</li>
 * </ul>
 * Not thread-safe.
 */
public final class TestImages {

    /** Files of {@link #layered()} and what the stacked root must show. */
    public static final class Layered {
        /** Kept from layer 2 ({@code "keep"}). */
        public static final String KEPT = "etc/keep";
        /** Written by layer 2, deleted by a whiteout in layer 3. */
        public static final String WHITED_OUT = "etc/gone";
        /** Added by layer 3 ({@code "added"}). */
        public static final String ADDED = "etc/added";
        /** Directory made opaque by layer 3: only {@code new} remains (layer 2 had {@code old}). */
        public static final String OPAQUE_DIR = "opq";
        /** Directory removed whole by layer 3. */
        public static final String REMOVED_DIR = "dir";
        /** Symlink to {@code /etc/keep}. */
        public static final String SYMLINK = "link";
        /** Two names of one file. */
        public static final String HARD_A = "hard/a";
        public static final String HARD_B = "hard/b";
        /** Mode 04755. */
        public static final String SETUID = "bin/suid";
        /** Owned by 1234:5678, mode 0640. */
        public static final String OWNED = "home/owned";
        /** Directory with mode 0700. */
        public static final String PRIVATE_DIR = "private";

        private Layered() {
        }
    }

    /** A descriptor written into the layout. */
    public record Blob(String digest, long size, String mediaType) {
    }

    /** An image in the layout under {@code tag}. */
    public record Image(String tag, String manifestDigest, String configDigest, List<Blob> layers) {
    }

    /** An index in the layout under {@code tag}. */
    public record Index(String tag, String indexDigest, Image amd64, Image arm64) {
    }

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

    private final Path work;
    private final Path layout;
    private final ArrayNode indexEntries = Json.array();
    private Blob busyboxLayer;
    private String busyboxDiffId;
    private Image busybox;
    private Image layered;
    private Index multiArch;

    /** Builds in {@code work} (a per-test or per-class temp directory). */
    public TestImages(Path work) {
        this.work = work;
        this.layout = work.resolve("oci");
        try {
            Files.createDirectories(layout.resolve("blobs/sha256"));
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            writeIndex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OCI image layout directory holding every image built so far. */
    public Path layout() {
        return layout;
    }

    /** The busybox image (tag {@code busybox}). */
    public Image busybox() {
        if (busybox == null) {
            ensureBusyboxLayer();
            ObjectNode cfg = Json.object();
            cfg.putArray("Entrypoint").add("/bin/sh");
            cfg.putArray("Cmd").add("-c").add("echo hello from image");
            cfg.putArray("Env").add("PATH=/bin").add("GREETING=hello");
            cfg.put("WorkingDir", "/tmp");
            cfg.putObject("ExposedPorts").putObject("8080/tcp");
            cfg.putObject("Labels").put("org.example.test", "busybox");
            try {
                busybox = image("busybox", "amd64", cfg, List.of(busyboxLayer), List.of(busyboxDiffId));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return busybox;
    }

    /** The multi-layer image (tag {@code layered}); see {@link Layered}. */
    public Image layered() {
        if (layered == null) {
            try {
                ensureBusyboxLayer();
                Path l2 = stage("layered-2");
                write(l2.resolve("etc/keep"), "keep");
                write(l2.resolve("etc/gone"), "gone");
                write(l2.resolve("opq/old"), "old");
                write(l2.resolve("dir/sub/x"), "x");
                Files.createSymbolicLink(l2.resolve("link"), Path.of("/etc/keep"));
                write(l2.resolve("hard/a"), "same inode");
                Files.createLink(l2.resolve("hard/b"), l2.resolve("hard/a"));
                write(l2.resolve("bin/suid"), "#!/bin/sh\n");
                write(l2.resolve("home/owned"), "mine");
                Files.createDirectories(l2.resolve("private"));
                run(List.of("chmod", "4755", l2.resolve("bin/suid").toString()));
                run(List.of("chown", "1234:5678", l2.resolve("home/owned").toString()));
                run(List.of("chmod", "0640", l2.resolve("home/owned").toString()));
                run(List.of("chmod", "0700", l2.resolve("private").toString()));
                Path l3 = stage("layered-3");
                write(l3.resolve("etc/.wh.gone"), "");
                write(l3.resolve("etc/added"), "added");
                write(l3.resolve("opq/.wh..wh..opq"), "");
                write(l3.resolve("opq/new"), "new");
                write(l3.resolve(".wh.dir"), "");
                String[] d2 = new String[1];
                String[] d3 = new String[1];
                Blob b2 = layer(l2, d2);
                Blob b3 = layer(l3, d3);
                ObjectNode cfg = Json.object();
                cfg.putArray("Cmd").add("/bin/sh");
                cfg.put("User", "1234:5678");
                layered = image("layered", "amd64", cfg, List.of(busyboxLayer, b2, b3),
                        List.of(busyboxDiffId, d2[0], d3[0]));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return layered;
    }

    /** The index (tag {@code multi}) with linux/amd64 and linux/arm64 images. */
    public Index multiArch() {
        if (multiArch == null) {
            try {
                ensureBusyboxLayer();
                Path amd = stage("arch-amd64");
                write(amd.resolve("arch"), "amd64");
                Path arm = stage("arch-arm64");
                write(arm.resolve("arch"), "arm64");
                String[] da = new String[1];
                String[] dr = new String[1];
                Blob ba = layer(amd, da);
                Blob br = layer(arm, dr);
                ObjectNode cfg = Json.object();
                cfg.putArray("Cmd").add("/bin/cat").add("/arch");
                Image a = image(null, "amd64", cfg, List.of(busyboxLayer, ba), List.of(busyboxDiffId, da[0]));
                Image r = image(null, "arm64", cfg, List.of(br), List.of(dr[0]));
                ObjectNode index = Json.object();
                index.put("schemaVersion", 2);
                index.put("mediaType", OCI_INDEX);
                ArrayNode ms = index.putArray("manifests");
                // arm64 first: a client that takes the first entry gets the wrong one.
                for (var pair : List.of(List.of(r, "arm64"), List.of(a, "amd64"))) {
                    Image img = (Image) pair.get(0);
                    ObjectNode e = ms.addObject();
                    e.put("mediaType", OCI_MANIFEST);
                    e.put("digest", img.manifestDigest());
                    e.put("size", Files.size(blobPath(img.manifestDigest())));
                    ObjectNode p = e.putObject("platform");
                    p.put("architecture", (String) pair.get(1));
                    p.put("os", "linux");
                    if (pair.get(1).equals("arm64")) {
                        p.put("variant", "v8");
                    }
                }
                Blob ib = blob(Json.bytes(index), OCI_INDEX);
                tag("multi", ib);
                multiArch = new Index("multi", ib.digest(), a, r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return multiArch;
    }

    /**
     * Copies a tag of the layout to {@code registry} as {@code repoTag} ({@code repo:tag}) with
     * skopeo: a Docker v2 schema 2 manifest when {@code dockerV2s2}, all index entries for an
     * index. Returns the digest of the manifest (or index) the registry now serves for the tag.
     */
    public String push(String tag, LocalRegistry registry, String repoTag, boolean dockerV2s2) {
        Path digestFile = work.resolve("digest-" + System.nanoTime());
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet",
                "--dest-tls-verify=false", "--digestfile", digestFile.toString()));
        if (dockerV2s2) {
            cmd.addAll(List.of("--format", "v2s2"));
        }
        if (multiArch != null && tag.equals(multiArch.tag())) {
            cmd.add("--all");
        }
        if (registry.username() != null) {
            cmd.addAll(List.of("--dest-creds", registry.username() + ":" + registry.password()));
        }
        cmd.add("oci:" + layout + ":" + tag);
        cmd.add("docker://" + registry.host() + "/" + repoTag);
        run(cmd);
        try {
            return Files.readString(digestFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a tag of the layout as an archive file with skopeo: {@code kind} is
     * {@code oci-archive} or {@code docker-archive}; {@code name} is the name recorded in it
     * (e.g. {@code demo/imported:1}). An index is copied whole.
     */
    public Path archive(String tag, String kind, String name) {
        Path file = work.resolve(kind + "-" + tag + "-" + System.nanoTime() + ".tar");
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "--quiet"));
        if (multiArch != null && tag.equals(multiArch.tag())) {
            cmd.add("--all");
        }
        cmd.addAll(List.of("oci:" + layout + ":" + tag, kind + ":" + file + ":" + name));
        run(cmd);
        return file;
    }

    /** The bytes of a blob in the layout. */
    public Path blobPath(String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private void ensureBusyboxLayer() {
        if (busyboxLayer != null) {
            return;
        }
        try {
            Path root = stage("busybox");
            Files.createDirectories(root.resolve("bin"));
            Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            for (String applet : List.of("sh", "echo", "cat", "ls", "sleep", "true", "false", "env", "id", "hostname",
                    "mkdir", "rm", "touch", "wc", "grep", "ps", "kill", "date", "stat")) {
                Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
            }
            write(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
            write(root.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            Files.createDirectories(root.resolve("tmp"));
            Files.createDirectories(root.resolve("root"));
            run(List.of("chmod", "1777", root.resolve("tmp").toString()));
            String[] diff = new String[1];
            busyboxLayer = layer(root, diff);
            busyboxDiffId = diff[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path stage(String name) throws IOException {
        Path p = work.resolve("stage").resolve(name);
        Files.createDirectories(p);
        return p;
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    /** Packs a directory with GNU tar, gzips it into the layout; {@code diffId[0]} gets the tar's digest. */
    private Blob layer(Path dir, String[] diffId) throws IOException {
        Path tar = work.resolve("layer-" + System.nanoTime() + ".tar");
        run(List.of("tar", "--numeric-owner", "--sort=name", "--mtime=2024-01-01 00:00Z", "-C", dir.toString(),
                "-cf", tar.toString(), "."));
        diffId[0] = sha256(Files.readAllBytes(tar));
        Path gz = work.resolve("layer-" + System.nanoTime() + ".tar.gz");
        MessageDigest md = newSha256();
        try (InputStream in = Files.newInputStream(tar);
             OutputStream out = new GZIPOutputStream(new DigestOutputStream(Files.newOutputStream(gz), md))) {
            in.transferTo(out);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(md.digest());
        long size = Files.size(gz);
        Files.move(gz, blobPath(digest), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(tar);
        return new Blob(digest, size, LAYER_GZIP);
    }

    private Image image(String tag, String arch, ObjectNode runtimeConfig, List<Blob> layers, List<String> diffIds)
            throws IOException {
        ObjectNode config = Json.object();
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("architecture", arch);
        config.put("os", "linux");
        config.set("config", runtimeConfig);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        Blob cb = blob(Json.bytes(config), OCI_CONFIG);
        ObjectNode manifest = Json.object();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.set("config", descriptor(cb));
        ArrayNode ls = manifest.putArray("layers");
        layers.forEach(l -> ls.add(descriptor(l)));
        Blob mb = blob(Json.bytes(manifest), OCI_MANIFEST);
        if (tag != null) {
            tag(tag, mb);
        }
        return new Image(tag, mb.digest(), cb.digest(), layers);
    }

    private Blob blob(byte[] bytes, String mediaType) throws IOException {
        String digest = sha256(bytes);
        Files.write(blobPath(digest), bytes);
        return new Blob(digest, bytes.length, mediaType);
    }

    private static ObjectNode descriptor(Blob b) {
        ObjectNode d = Json.object();
        d.put("mediaType", b.mediaType());
        d.put("digest", b.digest());
        d.put("size", b.size());
        return d;
    }

    private void tag(String tag, Blob b) throws IOException {
        ObjectNode e = descriptor(b);
        e.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        indexEntries.add(e);
        writeIndex();
    }

    private void writeIndex() throws IOException {
        ObjectNode index = Json.object();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        index.set("manifests", indexEntries.deepCopy());
        Files.write(layout.resolve("index.json"), Json.bytes(index));
    }

    /** Reads a JSON blob of the layout (for assertions). */
    public JsonNode json(String digest) {
        try {
            return Json.MAPPER.readTree(Files.readAllBytes(blobPath(digest)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + cmd, e);
        }
    }

    private static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
