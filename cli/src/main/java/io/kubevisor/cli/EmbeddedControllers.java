package io.kubevisor.cli;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.controllers.ClientCredentials;
import io.kubevisor.controllers.ControllerManager;
import io.kubevisor.controllers.Rbac;
import io.kubevisor.controllers.namespace.NamespaceController;
import io.kubevisor.controllers.namespace.NamespaceControllerRbac;
import io.kubevisor.controllers.nodelifecycle.NodeLifecycleController;
import io.kubevisor.controllers.nodelifecycle.NodeLifecycleRbac;
import io.kubevisor.controllers.scheduler.Scheduler;
import io.kubevisor.controllers.scheduler.SchedulerRbac;
import io.kubevisor.node.NodeAgentRbac;

/**
 * Runs the controllers and the scheduler inside the control-plane process, as
 * kube-controller-manager and kube-scheduler run beside kube-apiserver: they reach the API over
 * HTTPS like any client, the controllers as {@value #USER} and the scheduler as
 * {@value SchedulerRbac#USER}, each with a client certificate issued at startup and held only in
 * memory. Their RBAC grants are written through the API with the admin identity. Closing stops
 * the scheduler, then the controllers.
 */
final class EmbeddedControllers implements AutoCloseable {

    /** The user the controllers authenticate as, as in Kubernetes. */
    static final String USER = "system:kube-controller-manager";
    private static final Duration CERT_VALIDITY = Duration.ofDays(365);

    private final ControllerManager controllers;
    private final ControllerManager scheduler;

    private EmbeddedControllers(ControllerManager controllers, ControllerManager scheduler) {
        this.controllers = controllers;
        this.scheduler = scheduler;
    }

    /**
     * Grants the permissions, then starts the controllers and the scheduler.
     *
     * @param url   the API server's URL
     * @param admin         a client certificate in {@code system:masters}, used only to write RBAC objects
     * @param nodeLifecycle how the node lifecycle controller watches nodes
     * @return the running controllers; the caller closes them
     */
    static EmbeddedControllers start(String url, ClusterCa ca, KeyMaterial admin,
                                     NodeLifecycleController.Options nodeLifecycle) {
        try (KubernetesClient adminClient = credentials(url, ca, admin).newClient()) {
            Rbac.ensure(adminClient, NamespaceControllerRbac.objects(USER));
            Rbac.ensure(adminClient, NodeLifecycleRbac.objects(USER));
            Rbac.ensure(adminClient, SchedulerRbac.objects(SchedulerRbac.USER));
            // The role every node agent holds (system:nodes), whether it runs here or joins later.
            Rbac.ensure(adminClient, NodeAgentRbac.objects());
        }
        KeyMaterial identity = ca.issueClient(USER, List.of(), CERT_VALIDITY);
        ControllerManager controllers = new ControllerManager(credentials(url, ca, identity).newClient(), List.of(
                new NamespaceController(NamespaceController.Options.defaults(), InstantSource.system()),
                new NodeLifecycleController(nodeLifecycle, InstantSource.system())));
        controllers.start();
        try {
            KeyMaterial schedulerIdentity = ca.issueClient(SchedulerRbac.USER, List.of(), CERT_VALIDITY);
            ControllerManager scheduler = new ControllerManager(credentials(url, ca, schedulerIdentity).newClient(),
                    List.of(new Scheduler(Scheduler.Options.defaults(), InstantSource.system())));
            scheduler.start();
            return new EmbeddedControllers(controllers, scheduler);
        } catch (RuntimeException e) {
            controllers.close();
            throw e;
        }
    }

    /** The names of everything running, controllers first. */
    List<String> names() {
        List<String> names = new ArrayList<>(controllers.names());
        names.addAll(scheduler.names());
        return names;
    }

    @Override
    public void close() {
        scheduler.close();
        controllers.close();
    }

    private static ClientCredentials credentials(String url, ClusterCa ca, KeyMaterial client) {
        return new ClientCredentials(url, ca.certificatePem(), client.certificatePem(), client.privateKeyPem(),
                client.privateKey().getAlgorithm());
    }
}
