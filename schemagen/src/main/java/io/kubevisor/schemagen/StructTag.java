package io.kubevisor.schemagen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A parsed Go struct tag: {@code json:"name,omitempty" protobuf:"bytes,1,opt,name=name"}. */
record StructTag(Map<String, String> values) {

    StructTag {
        values = Map.copyOf(values);
    }

    /** Parses a tag by Go's reflect.StructTag conventions; malformed tails are ignored. */
    static StructTag parse(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        int p = 0;
        while (p < tag.length()) {
            while (p < tag.length() && tag.charAt(p) == ' ') {
                p++;
            }
            int colon = tag.indexOf(':', p);
            if (colon < 0 || colon + 1 >= tag.length() || tag.charAt(colon + 1) != '"') {
                break;
            }
            String key = tag.substring(p, colon);
            int q = colon + 2;
            StringBuilder value = new StringBuilder();
            while (q < tag.length() && tag.charAt(q) != '"') {
                if (tag.charAt(q) == '\\' && q + 1 < tag.length()) {
                    q++;
                }
                value.append(tag.charAt(q++));
            }
            out.putIfAbsent(key, value.toString());
            p = q + 1;
        }
        return new StructTag(out);
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The JSON name, "" when the tag gives none (inline or untagged). */
    String jsonName() {
        String json = values.getOrDefault("json", "");
        int comma = json.indexOf(',');
        return comma < 0 ? json : json.substring(0, comma);
    }

    boolean jsonOption(String option) {
        String json = values.getOrDefault("json", "");
        String[] parts = json.split(",");
        for (int k = 1; k < parts.length; k++) {
            if (parts[k].equals(option)) {
                return true;
            }
        }
        return false;
    }

    /** The protobuf field number, if the field is serialized in protobuf. */
    Optional<Integer> protobufNumber() {
        String pb = values.get("protobuf");
        if (pb == null) {
            return Optional.empty();
        }
        String[] parts = pb.split(",");
        return parts.length > 1 && parts[1].matches("\\d+") ? Optional.of(Integer.parseInt(parts[1])) : Optional.empty();
    }
}
