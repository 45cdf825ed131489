package io.kubevisor.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection over TLS with blocking I/O, for the requests whose timing is the
 * measurement: a request goes out on the caller's thread and its answer wakes that thread
 * directly. The JDK's HTTP/2 client passes both through its selector and executor threads; on
 * this two-core VM, traced, that added 2.5–4 ms to a create before the server had it and 2.4–3.7
 * ms before the caller had the answer, against 0.3–0.6 ms here. Not thread-safe: one caller at
 * a time. Keeps the connection open between requests (HTTP/1.1's default).
 */
final class Http1Connection implements AutoCloseable {

    /** A finished request's status code and body. */
    record Response(int status, byte[] body) {
    }

    private final URI server;
    private final SSLSocket socket;
    private final BufferedInputStream in;
    private final OutputStream out;

    private Http1Connection(URI server, SSLSocket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** Connects and completes the TLS handshake, offering only http/1.1 and checking the server's name as kubectl does. */
    static Http1Connection open(URI server, SSLContext ssl) {
        try {
            SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(server.getHost(), server.getPort());
            s.setTcpNoDelay(true);
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {"http/1.1"});
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            return new Http1Connection(server, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + server + ": " + e.getMessage(), e);
        }
    }

    /** Sends a request with a JSON body (or none) and reads the whole answer. */
    Response send(String method, String path, byte[] json) throws IOException {
        writeHead(method, path, json);
        Head head = readHead();
        return new Response(head.status(), readBody(head));
    }

    /**
     * Sends a GET whose answer is a stream (a watch) and returns its body once the head is read;
     * the connection belongs to that stream from then on.
     *
     * @throws IOException also when the answer is not 200
     */
    InputStream stream(String path) throws IOException {
        writeHead("GET", path, null);
        Head head = readHead();
        if (head.status() != 200) {
            throw new IOException("GET " + path + " answered " + head.status() + ": "
                    + new String(readBody(head), StandardCharsets.UTF_8));
        }
        return head.chunked() ? new ChunkedBody() : in;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void writeHead(String method, String path, byte[] json) throws IOException {
        StringBuilder h = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n")
                .append("Accept: application/json\r\n");
        if (json != null) {
            h.append("Content-Type: application/json\r\nContent-Length: ").append(json.length).append("\r\n");
        }
        out.write(h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        if (json != null) {
            out.write(json);
        }
        out.flush();
    }

    private record Head(int status, int length, boolean chunked) {
    }

    private Head readHead() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        return new Head(status, chunked ? -1 : Math.max(length, 0), chunked);
    }

    /** The whole body of an answer whose head was read: its chunks, or Content-Length bytes. */
    private byte[] readBody(Head head) throws IOException {
        if (head.chunked()) {
            return new ChunkedBody().readAllBytes();
        }
        byte[] body = in.readNBytes(head.length());
        if (body.length < head.length()) {
            throw new EOFException("the connection ended inside an answer");
        }
        return body;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection ended");
            }
            if (c == '\n') {
                int last = line.length() - 1;
                return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
            }
            line.append((char) c);
        }
    }

    /** A chunked body as a stream: ends (-1) after the last, empty chunk and its trailers. */
    private final class ChunkedBody extends InputStream {
        private int left;
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine();
                int semicolon = size.indexOf(';');
                left = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (left == 0) {
                    for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
                        // trailers are not used
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the connection ended inside a chunk");
            }
            left -= n;
            if (left == 0 && !readLine().isEmpty()) {
                throw new IOException("a chunk did not end with CRLF");
            }
            return n;
        }

        @Override
        public byte[] readAllBytes() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n = read(buf, 0, buf.length); n >= 0; n = read(buf, 0, buf.length)) {
                all.write(buf, 0, n);
            }
            return all.toByteArray();
        }

        @Override
        public void close() {
            Http1Connection.this.close();
        }
    }
}
