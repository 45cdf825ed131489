package io.kubevisor.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of a server, so a test can cut every open connection (as a load
 * balancer or a network blip would) and watch clients reconnect. TLS passes through untouched.
 * Thread-safe; close it when done.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    /** Open relayed connections: client side to server side. */
    private final Map<Socket, Socket> open = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private TcpProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Starts relaying a free loopback port to {@code host:port}. */
    public static TcpProxy to(String host, int port) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy p = new TcpProxy(s, new InetSocketAddress(host, port));
        Thread.ofVirtual().name("tcp-proxy-accept").start(p::acceptLoop);
        return p;
    }

    /** The local port clients should connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** How many client connections were accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Closes every open connection (both sides) and says how many; new connections are still accepted. */
    public int cutAll() {
        int n = 0;
        for (Map.Entry<Socket, Socket> pair : open.entrySet()) {
            if (open.remove(pair.getKey()) != null) {
                closeQuietly(pair.getKey());
                closeQuietly(pair.getValue());
                n++;
            }
        }
        return n;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Socket server = new Socket();
                try {
                    server.connect(target, 10_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                open.put(client, server);
                Thread.ofVirtual().start(() -> pump(client, server, client));
                Thread.ofVirtual().start(() -> pump(server, client, client));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, Socket clientSide) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the peer went away or the test cut the connection; close both sides below
        } finally {
            open.remove(clientSide);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cutAll();
    }
}
