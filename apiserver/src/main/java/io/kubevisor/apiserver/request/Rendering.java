package io.kubevisor.apiserver.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.kubevisor.api.ApiException;

/**
 * How a response body should be rendered, negotiated from the Accept header the way
 * Kubernetes does: the first acceptable entry wins; {@code as=Table} and
 * {@code as=PartialObjectMetadata[List]} ask for server-side conversions.
 */
public sealed interface Rendering {

    /** Plain JSON objects. */
    record AsJson() implements Rendering {
    }

    /** YAML text of the same objects. */
    record AsYaml() implements Rendering {
    }

    /** A meta.k8s.io Table; {@code version} is "v1" or "v1beta1". */
    record AsTable(String version) implements Rendering {
    }

    /** Only metadata: PartialObjectMetadata or PartialObjectMetadataList. */
    record AsMetadata(String version) implements Rendering {
    }

    AsJson JSON = new AsJson();

    /**
     * @param accept       the Accept header, or null
     * @param allowConvert whether Table/metadata conversions make sense for this endpoint
     */
    static Rendering negotiate(String accept, boolean allowConvert) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        List<String> rejected = new ArrayList<>();
        for (String entry : accept.split(",")) {
            String[] parts = entry.trim().split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            String as = null;
            String g = null;
            String v = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = p.substring(0, eq).trim();
                String val = p.substring(eq + 1).trim();
                switch (k) {
                    case "as" -> as = val;
                    case "g" -> g = val;
                    case "v" -> v = val;
                    default -> {
                    }
                }
            }
            boolean json = type.equals("application/json") || type.equals("*/*") || type.equals("application/*");
            if (as != null) {
                if (!json || !allowConvert || !"meta.k8s.io".equals(g) || !("v1".equals(v) || "v1beta1".equals(v))) {
                    rejected.add(entry.trim());
                    continue;
                }
                switch (as) {
                    case "Table" -> {
                        return new AsTable(v);
                    }
                    case "PartialObjectMetadata", "PartialObjectMetadataList" -> {
                        return new AsMetadata(v);
                    }
                    default -> {
                        rejected.add(entry.trim());
                        continue;
                    }
                }
            }
            if (json) {
                return JSON;
            }
            if (type.equals("application/yaml")) {
                return new AsYaml();
            }
            if (type.equals("application/vnd.kubernetes.protobuf")) {
                // We answer in JSON; clients that list only protobuf are told so.
                rejected.add(entry.trim());
                continue;
            }
            rejected.add(entry.trim());
        }
        throw new ApiException.NotAcceptable("only the following media types are accepted: application/json, "
                + "application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io");
    }
}
