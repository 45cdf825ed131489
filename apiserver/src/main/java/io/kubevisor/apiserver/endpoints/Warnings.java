package io.kubevisor.apiserver.endpoints;

import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaders;

/** {@code Warning: 299 - "..."} headers collected while serving one request (kubectl prints them). */
public final class Warnings {

    private final List<String> messages = new ArrayList<>();

    public void add(String message) {
        if (!messages.contains(message)) {
            messages.add(message);
        }
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    void addTo(HttpHeaders headers) {
        for (String m : messages) {
            headers.add("Warning", "299 - \"" + m.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
    }
}
