package io.kubevisor.bench;

/** The objects the benchmark writes, as JSON text built without a mapper (client CPU is scarce). */
final class Payloads {

    static final String NAMESPACE = "bench";
    static final String CONFIGMAPS = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
    static final String PODS = "/api/v1/namespaces/" + NAMESPACE + "/pods";

    private static final String CONFIG_MAP = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"@NAME@","namespace":"bench",\
            "labels":{"app":"bench"}},"data":{"greeting":"@VALUE@"}}""";

    /**
     * A realistic Pod of about 1.5 KB: two containers with ports, env, resources, probes and
     * mounts, two volumes and a node selector.
     */
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"@NAME@","namespace":"bench",\
            "labels":{"app":"web","tier":"frontend","release":"stable","pod-template-hash":"7d9f8c6b5"},\
            "annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"9102"}},\
            "spec":{"containers":[{"name":"web","image":"registry.example.com/team/web:1.27.3",\
            "imagePullPolicy":"IfNotPresent","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},\
            {"name":"metrics","containerPort":9102,"protocol":"TCP"}],\
            "env":[{"name":"LOG_LEVEL","value":"info"},\
            {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],\
            "resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}},\
            "readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10},\
            "livenessProbe":{"httpGet":{"path":"/livez","port":8080},"initialDelaySeconds":15,"periodSeconds":20},\
            "volumeMounts":[{"name":"config","mountPath":"/etc/web","readOnly":true},\
            {"name":"cache","mountPath":"/var/cache/web"}]},\
            {"name":"log-shipper","image":"registry.example.com/team/log-shipper:2.4.1",\
            "args":["--input=/var/log/web","--output=stdout"],\
            "resources":{"requests":{"cpu":"10m","memory":"32Mi"}},\
            "volumeMounts":[{"name":"cache","mountPath":"/var/log/web"}]}],\
            "volumes":[{"name":"config","configMap":{"name":"web-config"}},{"name":"cache","emptyDir":{}}],\
            "restartPolicy":"Always","terminationGracePeriodSeconds":30,"serviceAccountName":"default",\
            "nodeSelector":{"kubernetes.io/os":"linux"}}}""";

    private static final String NAMESPACE_OBJECT = """
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}""";

    private Payloads() {
    }

    static String namespace() {
        return NAMESPACE_OBJECT;
    }

    /** A small ConfigMap (about 170 bytes of JSON). */
    static String configMap(String name, String value) {
        return CONFIG_MAP.replace("@NAME@", name).replace("@VALUE@", value);
    }

    static String pod(String name) {
        return POD.replace("@NAME@", name);
    }
}
