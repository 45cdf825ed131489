package io.kubevisor.node.kubelet;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.http.HttpExchange;
import io.kubevisor.http.ResponseStream;
import io.kubevisor.node.provider.ContainerLogs;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderException;
import io.netty.handler.codec.http.DefaultHttpHeaders;

/**
 * {@code /containerLogs/{ns}/{pod}/{container}?follow&tailLines&sinceSeconds&sinceTime&timestamps&previous&limitBytes}:
 * the log as {@code text/plain}, streamed (chunked, flushed per write) so {@code follow} works. The
 * response starts with the first byte, so a provider that fails before writing anything still gets
 * a proper error status. Stateless.
 */
final class LogsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(LogsEndpoint.class);

    private LogsEndpoint() {
    }

    static void serve(HttpExchange ex, Query q, PodRef pod, String container, ContainerLogs logs, Instant now) {
        ContainerLogs.Options options;
        try {
            options = options(q, now);
        } catch (IllegalArgumentException e) {
            Replies.status(ex, 400, "BadRequest", e.getMessage());
            return;
        }
        LazyStream out = new LazyStream(ex);
        try {
            logs.logs(pod, container, options, out);
        } catch (ProviderException e) {
            if (!out.started()) {
                Replies.status(ex, 404, "NotFound", e.getMessage());
                return;
            }
            LOG.info("event=logs_failed pod={} container={} cause=\"{}\"", pod, container, e.getMessage());
        } catch (IOException e) {
            LOG.debug("event=logs_client_gone pod={} container={}", pod, container);
        }
        out.close();
    }

    static ContainerLogs.Options options(Query q, Instant now) {
        Instant since = null;
        long sinceSeconds = q.number("sinceSeconds", -1);
        String sinceTime = q.first("sinceTime");
        if (sinceSeconds >= 0 && sinceTime != null) {
            throw new IllegalArgumentException("at most one of sinceTime or sinceSeconds may be specified");
        }
        if (sinceSeconds >= 0) {
            since = now.minus(Duration.ofSeconds(sinceSeconds));
        } else if (sinceTime != null && !sinceTime.isEmpty()) {
            try {
                since = Instant.parse(sinceTime);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("sinceTime must be an RFC 3339 time, got \"" + sinceTime + "\"");
            }
        }
        long tail = q.number("tailLines", -1);
        long limit = q.number("limitBytes", -1);
        if (q.first("tailLines") != null && tail < 0) {
            throw new IllegalArgumentException("tailLines must be greater than or equal to 0");
        }
        if (q.first("limitBytes") != null && limit < 1) {
            throw new IllegalArgumentException("limitBytes must be greater than 0");
        }
        return new ContainerLogs.Options(q.flag("follow"), q.flag("previous"), tail, since, q.flag("timestamps"),
                limit);
    }

    /** Opens the chunked response on the first write. */
    private static final class LazyStream extends OutputStream {
        private final HttpExchange ex;
        private ResponseStream stream;

        LazyStream(HttpExchange ex) {
            this.ex = ex;
        }

        boolean started() {
            return stream != null;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            if (stream == null) {
                stream = ex.stream(200, new DefaultHttpHeaders().set("Content-Type", "text/plain"));
            }
            byte[] chunk = new byte[len];
            System.arraycopy(b, off, chunk, 0, len);
            if (!stream.write(chunk)) {
                throw new IOException("the client closed the connection");
            }
        }

        @Override
        public synchronized void close() {
            if (stream == null) {
                stream = ex.stream(200, new DefaultHttpHeaders().set("Content-Type", "text/plain"));
            }
            stream.close();
        }
    }
}
