package io.kubevisor.apiserver.auth.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.kubevisor.api.Json;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Writes kubeconfig files that kubectl, client-go and the fabric8 client read: one cluster (server
 * URL + CA data), one user (client certificate or bearer token), one context named
 * {@code <user>@<cluster>} which is also the current context. Files get mode 0600 since they hold
 * credentials. Stateless and thread-safe.
 */
public final class Kubeconfig {

    /** The admin identity, in the way kubeadm's {@code kubernetes-admin}: a member of {@code system:masters}. */
    public static final String ADMIN_USER = "kubevisor-admin";
    /** The group RBAC always allows (Kubernetes' superuser group). */
    public static final String ADMIN_GROUP = "system:masters";
    /** Conventional file name of the admin kubeconfig in the data directory. */
    public static final String ADMIN_FILE = "admin.kubeconfig";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .build();

    private Kubeconfig() {
    }

    /**
     * Writes a kubeconfig that authenticates with a client certificate.
     *
     * @param serverUrl e.g. {@code https://127.0.0.1:6443}
     * @param ca        the CA that signed the server's certificate
     */
    public static void write(Path file, String serverUrl, X509Certificate ca, KeyMaterial client,
                             String clusterName, String userName) {
        ObjectNode user = Json.object();
        user.put("client-certificate-data", base64(client.certificatePem()));
        user.put("client-key-data", base64(Pem.encodePrivateKeyTraditional(client.privateKey())));
        SecureFiles.writeSecret(file, render(serverUrl, ca, clusterName, userName, user));
    }

    /** Writes a kubeconfig that authenticates with a bearer token (sent as {@code Authorization: Bearer}). */
    public static void writeWithToken(Path file, String serverUrl, X509Certificate ca, String token,
                                      String clusterName, String userName) {
        ObjectNode user = Json.object();
        user.put("token", token);
        SecureFiles.writeSecret(file, render(serverUrl, ca, clusterName, userName, user));
    }

    /**
     * Issues an admin client certificate ({@code CN=}{@value #ADMIN_USER}, {@code O=}{@value #ADMIN_GROUP})
     * and writes a kubeconfig for it.
     *
     * @return the issued client material, e.g. for tests that need the same identity
     */
    public static KeyMaterial writeAdmin(Path file, String serverUrl, ClusterCa ca, String clusterName,
                                         Duration validity) {
        KeyMaterial admin = ca.issueClient(ADMIN_USER, List.of(ADMIN_GROUP), validity);
        write(file, serverUrl, ca.certificate(), admin, clusterName, ADMIN_USER);
        return admin;
    }

    /** The kubeconfig text, without writing it. */
    static String render(String serverUrl, X509Certificate ca, String clusterName, String userName, ObjectNode user) {
        String context = userName + "@" + clusterName;
        ObjectNode root = Json.object();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        ObjectNode cluster = root.putArray("clusters").addObject();
        cluster.put("name", clusterName);
        ObjectNode c = cluster.putObject("cluster");
        c.put("server", serverUrl);
        c.put("certificate-authority-data", base64(Pem.encodeCertificate(ca)));
        ObjectNode u = root.putArray("users").addObject();
        u.put("name", userName);
        u.set("user", user);
        ObjectNode ctx = root.putArray("contexts").addObject();
        ctx.put("name", context);
        ObjectNode cx = ctx.putObject("context");
        cx.put("cluster", clusterName);
        cx.put("user", userName);
        root.put("current-context", context);
        root.putObject("preferences");
        return YAML.writeValueAsString(root);
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
