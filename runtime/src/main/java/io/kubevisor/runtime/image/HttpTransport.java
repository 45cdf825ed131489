package io.kubevisor.runtime.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one HTTP request without following redirects (the registry client decides where
 * credentials may go). Implementations are thread-safe.
 */
interface HttpTransport extends AutoCloseable {

    /**
     * Sends a bodiless request. The caller owns the response and must close it.
     *
     * @param headers request headers; a name may repeat through its list of values
     * @throws IOException when no response arrives (refused, unresolvable, timed out, TLS failure)
     */
    Response send(String method, URI uri, Map<String, List<String>> headers) throws IOException;

    @Override
    void close();

    /**
     * A response whose body is read lazily.
     *
     * @param headers names in lowercase
     */
    record Response(int status, Map<String, List<String>> headers, InputStream body) implements Closeable {

        /** The first value of a header (case-insensitive), or null. */
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        /** All values of a header (case-insensitive). */
        List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
