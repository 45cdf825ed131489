package io.kubevisor.node.pods;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.kubevisor.node.KubeTime;

/**
 * Combines what the provider reports about a pod with what the API already holds, as the kubelet's
 * status manager does: the provider owns phase, IPs, container statuses and its own conditions;
 * the agent adds hostIP and keeps startTime once set; conditions others wrote (PodScheduled from
 * the scheduler, DisruptionTarget, readiness gates) stay, merged by type, and a condition whose
 * status did not change keeps its lastTransitionTime. Stateless.
 */
public final class PodStatusMerge {

    private PodStatusMerge() {
    }

    /**
     * @param api      the status in the API (may be null)
     * @param provider what the provider reports (not modified)
     * @param hostIp   the node's InternalIP, or null
     * @return a new status to write
     */
    public static PodStatus merge(PodStatus api, PodStatus provider, String hostIp, Instant now) {
        PodStatus out = new PodStatusBuilder(provider).build();
        PodStatus old = api == null ? new PodStatus() : api;
        if (out.getHostIP() == null && hostIp != null) {
            out.setHostIP(hostIp);
        }
        if ((out.getHostIPs() == null || out.getHostIPs().isEmpty()) && out.getHostIP() != null) {
            out.setHostIPs(List.of(new HostIP(out.getHostIP())));
        }
        if (old.getStartTime() != null) {
            out.setStartTime(old.getStartTime());
        } else if (out.getStartTime() == null) {
            out.setStartTime(KubeTime.format(now));
        }
        if (out.getQosClass() == null) {
            out.setQosClass(old.getQosClass());
        }
        if (out.getNominatedNodeName() == null) {
            out.setNominatedNodeName(old.getNominatedNodeName());
        }
        out.setConditions(conditions(old.getConditions(), provider.getConditions(), now));
        return out;
    }

    static List<PodCondition> conditions(List<PodCondition> api, List<PodCondition> provider, Instant now) {
        Map<String, PodCondition> byType = new LinkedHashMap<>();
        for (PodCondition c : api == null ? List.<PodCondition>of() : api) {
            byType.put(c.getType(), c);
        }
        for (PodCondition c : provider == null ? List.<PodCondition>of() : provider) {
            PodCondition next = new PodConditionBuilder(c).build();
            PodCondition before = byType.get(c.getType());
            if (next.getLastTransitionTime() == null) {
                boolean same = before != null && Objects.equals(before.getStatus(), next.getStatus());
                next.setLastTransitionTime(same && before.getLastTransitionTime() != null
                        ? before.getLastTransitionTime() : KubeTime.format(now));
            }
            byType.put(c.getType(), next);
        }
        return new ArrayList<>(byType.values());
    }
}
