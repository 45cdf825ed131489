package io.kubevisor.cli;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.controllers.ClientCredentials;
import io.kubevisor.controllers.ControllerManager;
import io.kubevisor.controllers.Rbac;
import io.kubevisor.controllers.namespace.NamespaceController;
import io.kubevisor.controllers.namespace.NamespaceControllerRbac;

/**
 * Runs the controllers inside the control-plane process, as kube-controller-manager runs beside
 * kube-apiserver: they reach the API over HTTPS like any client, as
 * {@value #USER}, with a client certificate issued at startup and held only in memory. Their
 * RBAC grants are written through the API with the admin identity.
 */
final class EmbeddedControllers {

    /** The user the controllers authenticate as, as in Kubernetes. */
    static final String USER = "system:kube-controller-manager";
    private static final Duration CERT_VALIDITY = Duration.ofDays(365);

    private EmbeddedControllers() {
    }

    /**
     * Grants the controllers' permissions, then starts them.
     *
     * @param url   the API server's URL
     * @param admin a client certificate in {@code system:masters}, used only to write RBAC objects
     * @return the running controllers; the caller closes them
     */
    static ControllerManager start(String url, ClusterCa ca, KeyMaterial admin) {
        try (KubernetesClient adminClient = credentials(url, ca, admin).newClient()) {
            Rbac.ensure(adminClient, NamespaceControllerRbac.objects(USER));
        }
        KeyMaterial identity = ca.issueClient(USER, List.of(), CERT_VALIDITY);
        ControllerManager manager = new ControllerManager(credentials(url, ca, identity).newClient(),
                List.of(new NamespaceController(NamespaceController.Options.defaults(), InstantSource.system())));
        manager.start();
        return manager;
    }

    private static ClientCredentials credentials(String url, ClusterCa ca, KeyMaterial client) {
        return new ClientCredentials(url, ca.certificatePem(), client.certificatePem(), client.privateKeyPem(),
                client.privateKey().getAlgorithm());
    }
}
