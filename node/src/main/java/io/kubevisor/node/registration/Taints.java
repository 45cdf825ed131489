package io.kubevisor.node.registration;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Taint;

/** Taints written as kubectl's {@code taint} command takes them: {@code key[=value]:Effect}. Stateless. */
public final class Taints {

    private Taints() {
    }

    /**
     * Parses each {@code key[=value]:Effect}.
     *
     * @throws IllegalArgumentException for a taint without an effect or key
     */
    public static List<Taint> parse(List<String> taints) {
        List<Taint> out = new ArrayList<>();
        for (String t : taints) {
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw new IllegalArgumentException("taint \"" + t + "\" is not key[=value]:Effect");
            }
            String kv = t.substring(0, colon);
            String effect = t.substring(colon + 1);
            int eq = kv.indexOf('=');
            Taint taint = new Taint();
            taint.setKey(eq < 0 ? kv : kv.substring(0, eq));
            if (eq >= 0) {
                taint.setValue(kv.substring(eq + 1));
            }
            taint.setEffect(effect);
            out.add(taint);
        }
        return out;
    }

    /** {@code existing} plus each wanted taint whose key and effect it lacks; existing ones are kept. */
    public static List<Taint> merge(List<Taint> existing, List<Taint> wanted) {
        List<Taint> out = new ArrayList<>(existing == null ? List.of() : existing);
        for (Taint w : wanted) {
            boolean present = out.stream().anyMatch(e -> w.getKey().equals(e.getKey())
                    && w.getEffect().equals(e.getEffect()));
            if (!present) {
                out.add(w);
            }
        }
        return out;
    }
}
