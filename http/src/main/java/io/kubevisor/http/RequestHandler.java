package io.kubevisor.http;

/** Serves exchanges. Called on a virtual thread per request; must answer every exchange. */
@FunctionalInterface
public interface RequestHandler {
    void handle(HttpExchange exchange);
}
