package io.kubevisor.apiserver.metrics;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import io.kubevisor.http.HttpExchange;
import io.kubevisor.http.ResponseStream;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * An exchange that remembers the status it answered with, for metrics and error handling, and
 * lets only the first answer through (a request timeout and a late handler may race).
 */
public final class RecordingExchange implements HttpExchange {

    private final HttpExchange delegate;
    private volatile int status;
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

    public RecordingExchange(HttpExchange delegate) {
        this.delegate = delegate;
    }

    /** The status sent, or 0 if none yet. */
    public int status() {
        return status;
    }

    public boolean answered() {
        return answered.get();
    }

    @Override
    public String method() {
        return delegate.method();
    }

    @Override
    public String uri() {
        return delegate.uri();
    }

    @Override
    public HttpHeaders headers() {
        return delegate.headers();
    }

    @Override
    public byte[] body() {
        return delegate.body();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return delegate.peerCertificates();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public String protocol() {
        return delegate.protocol();
    }

    @Override
    public void respond(int code, HttpHeaders headers, byte[] body) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        status = code;
        delegate.respond(code, headers, body);
    }

    @Override
    public io.kubevisor.http.WebSocketSession upgradeToWebSocket(String subprotocol) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange already answered");
        }
        var session = delegate.upgradeToWebSocket(subprotocol);
        if (session == null) {
            answered.set(false);
        } else {
            status = 101;
        }
        return session;
    }

    @Override
    public boolean upgradeToWebSocket(String subprotocol,
                                      java.util.function.Consumer<io.netty.channel.ChannelPipeline> install) {
        return upgraded(() -> delegate.upgradeToWebSocket(subprotocol, install));
    }

    @Override
    public boolean switchProtocols(HttpHeaders headers,
                                   java.util.function.Consumer<io.netty.channel.ChannelPipeline> install) {
        return upgraded(() -> delegate.switchProtocols(headers, install));
    }

    private boolean upgraded(java.util.function.BooleanSupplier upgrade) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange already answered");
        }
        if (upgrade.getAsBoolean()) {
            status = 101;
            return true;
        }
        answered.set(false);
        return false;
    }

    @Override
    public ResponseStream stream(int code, HttpHeaders headers) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("exchange already answered");
        }
        status = code;
        return delegate.stream(code, headers);
    }
}
