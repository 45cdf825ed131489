package io.kubevisor.apiserver.kinds;

import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.ApiServer;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.registry.Strategy;

/** The strategy of every built-in kind. */
public final class Strategies implements ApiServer.StrategyFactory {

    @Override
    public Strategy forType(ResourceType type) {
        return switch (type.group() + "/" + type.kind()) {
            case "/Namespace" -> new NamespaceStrategy();
            case "/Pod" -> new PodStrategy();
            case "/Service" -> new ServiceStrategy();
            case "/Secret" -> new SecretStrategy();
            case "/Event", "events.k8s.io/Event" -> new EventStrategy();
            case "/Endpoints", "/LimitRange", "coordination.k8s.io/Lease" -> new Strategy() {
                @Override
                public boolean allowCreateOnUpdate() {
                    return true;
                }
            };
            case "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/RoleBinding",
                 "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding" ->
                    new Strategy() {
                        @Override
                        public NameRule nameRule() {
                            return NameRule.PATH_SEGMENT;
                        }

                        @Override
                        public boolean allowCreateOnUpdate() {
                            return true;
                        }
                    };
            case "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet", "batch/Job",
                 "batch/CronJob" -> new WorkloadStrategy(type.kind());
            default -> new Strategy() {
            };
        };
    }
}
