package io.kubevisor.apiserver.http;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * One HTTP request and the means to answer it, independent of HTTP/1.1 or HTTP/2. Handlers run
 * on virtual threads and may block; every method is safe to call from any thread.
 *
 * <p>Exactly one of {@link #respond} or {@link #stream} may be called, once.
 */
public interface HttpExchange {

    String method();

    /** The raw request target: path and query, still percent-encoded. */
    String uri();

    HttpHeaders headers();

    /** The request body; empty array when none. Owned by the exchange; do not mutate. */
    byte[] body();

    /** The client's certificate chain from TLS, or empty. */
    List<X509Certificate> peerCertificates();

    InetSocketAddress remoteAddress();

    /** "HTTP/1.1" or "HTTP/2". */
    String protocol();

    /** Sends a complete response. */
    void respond(int status, HttpHeaders headers, byte[] body);

    /** Starts a streamed (chunked) response, e.g. a watch or a followed log. */
    ResponseStream stream(int status, HttpHeaders headers);
}
