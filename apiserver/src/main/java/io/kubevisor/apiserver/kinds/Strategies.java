package io.kubevisor.apiserver.kinds;

import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.ApiServer;
import io.kubevisor.apiserver.kinds.apps.DaemonSetStrategy;
import io.kubevisor.apiserver.kinds.apps.DeploymentStrategy;
import io.kubevisor.apiserver.kinds.apps.ReplicaSetStrategy;
import io.kubevisor.apiserver.kinds.apps.StatefulSetStrategy;
import io.kubevisor.apiserver.kinds.batch.CronJobStrategy;
import io.kubevisor.apiserver.kinds.batch.JobStrategy;
import io.kubevisor.apiserver.kinds.coordination.LeaseStrategy;
import io.kubevisor.apiserver.kinds.core.ConfigMapStrategy;
import io.kubevisor.apiserver.kinds.core.EndpointsStrategy;
import io.kubevisor.apiserver.kinds.core.LimitRangeStrategy;
import io.kubevisor.apiserver.kinds.core.NamespaceStrategy;
import io.kubevisor.apiserver.kinds.core.NodeStrategy;
import io.kubevisor.apiserver.kinds.core.PersistentVolumeClaimStrategy;
import io.kubevisor.apiserver.kinds.core.ResourceQuotaStrategy;
import io.kubevisor.apiserver.kinds.core.SecretStrategy;
import io.kubevisor.apiserver.kinds.core.ServiceAccountStrategy;
import io.kubevisor.apiserver.kinds.core.ServiceStrategy;
import io.kubevisor.apiserver.kinds.discovery.EndpointSliceStrategy;
import io.kubevisor.apiserver.kinds.events.EventStrategy;
import io.kubevisor.apiserver.kinds.pod.PodStrategy;
import io.kubevisor.apiserver.kinds.rbac.BindingStrategy;
import io.kubevisor.apiserver.kinds.rbac.RoleStrategy;
import io.kubevisor.apiserver.registry.Strategy;

/**
 * The strategy of every built-in kind: Kubernetes 1.32's defaulting, validation, update rules,
 * deletion behaviour and field selectors, one class per kind. Returns a new, stateless strategy
 * per call; thread-safe.
 */
public final class Strategies implements ApiServer.StrategyFactory {

    private static final String RBAC = "rbac.authorization.k8s.io";

    @Override
    public Strategy forType(ResourceType type) {
        return switch (type.group() + "/" + type.kind()) {
            case "/Namespace" -> new NamespaceStrategy();
            case "/Pod" -> new PodStrategy();
            case "/ConfigMap" -> new ConfigMapStrategy();
            case "/Secret" -> new SecretStrategy();
            case "/ServiceAccount" -> new ServiceAccountStrategy();
            case "/Event", EventStrategy.EVENTS_GROUP + "/Event" -> new EventStrategy(type.group());
            case "/Node" -> new NodeStrategy();
            case "/Service" -> new ServiceStrategy();
            case "/Endpoints" -> new EndpointsStrategy();
            case "/LimitRange" -> new LimitRangeStrategy();
            case "/ResourceQuota" -> new ResourceQuotaStrategy();
            case "/PersistentVolumeClaim" -> new PersistentVolumeClaimStrategy();
            case "discovery.k8s.io/EndpointSlice" -> new EndpointSliceStrategy();
            case "apps/Deployment" -> new DeploymentStrategy();
            case "apps/ReplicaSet" -> new ReplicaSetStrategy();
            case "apps/StatefulSet" -> new StatefulSetStrategy();
            case "apps/DaemonSet" -> new DaemonSetStrategy();
            case "batch/Job" -> new JobStrategy();
            case "batch/CronJob" -> new CronJobStrategy();
            case "coordination.k8s.io/Lease" -> new LeaseStrategy();
            case RBAC + "/Role" -> new RoleStrategy(true);
            case RBAC + "/ClusterRole" -> new RoleStrategy(false);
            case RBAC + "/RoleBinding" -> new BindingStrategy(true);
            case RBAC + "/ClusterRoleBinding" -> new BindingStrategy(false);
            default -> new Strategy() {
            };
        };
    }
}
