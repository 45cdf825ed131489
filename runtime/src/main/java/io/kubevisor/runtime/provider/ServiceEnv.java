package io.kubevisor.runtime.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * The environment variables the kubelet gives a container for each Service it can see, as the
 * kubelet names them: {@code NAME_SERVICE_HOST} and {@code NAME_SERVICE_PORT} (the first port),
 * {@code NAME_SERVICE_PORT_PORTNAME} per named port, and Docker's link variables
 * ({@code NAME_PORT=tcp://IP:PORT}, {@code NAME_PORT_80_TCP}, {@code _PROTO}, {@code _PORT},
 * {@code _ADDR}). NAME is the Service's name upper-cased with dashes as underscores. Services
 * without a cluster IP (headless, ExternalName) give none. Stateless.
 */
final class ServiceEnv {

    private ServiceEnv() {
    }

    /** The variables for these Services, in their order. */
    static Map<String, String> of(List<Service> services) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Service s : services) {
            String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
            List<ServicePort> ports = s.getSpec() == null ? List.of() : FieldRefs.nz(s.getSpec().getPorts());
            if (ip == null || ip.isEmpty() || ip.equals("None") || ports.isEmpty()) {
                continue;
            }
            String name = varName(s.getMetadata().getName());
            env.put(name + "_SERVICE_HOST", ip);
            env.put(name + "_SERVICE_PORT", Integer.toString(ports.getFirst().getPort()));
            for (ServicePort p : ports) {
                if (p.getName() != null && !p.getName().isEmpty()) {
                    env.put(name + "_SERVICE_PORT_" + varName(p.getName()), Integer.toString(p.getPort()));
                }
            }
            for (int i = 0; i < ports.size(); i++) {
                ServicePort p = ports.get(i);
                String protocol = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
                String lower = protocol.toLowerCase(Locale.ROOT);
                String url = lower + "://" + ip + ":" + p.getPort();
                String prefix = name + "_PORT_" + p.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
                if (i == 0) {
                    env.put(name + "_PORT", url);
                }
                env.put(prefix, url);
                env.put(prefix + "_PROTO", lower);
                env.put(prefix + "_PORT", Integer.toString(p.getPort()));
                env.put(prefix + "_ADDR", ip);
            }
        }
        return env;
    }

    private static String varName(String s) {
        return s.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
