package io.kubevisor.runtime.image;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * Registry failures in the words containerd (and Go's HTTP client) use, so that
 * {@code kubectl describe} reads as it does on a containerd node.
 */
final class RegistryErrors {

    private RegistryErrors() {
    }

    /** The error for a non-404 failure status, with the registry's own message. */
    static RegistryException statusError(HttpTransport.Response r, URI uri) {
        String server = serverMessage(r, true);
        if (r.status() == 401 || r.status() == 403) {
            return new RegistryException("pull access denied, repository does not exist or may require authorization:"
                    + " server message: " + (server.isEmpty() ? statusText(r.status()) : server));
        }
        return new RegistryException("unexpected status from GET request to " + uri + ": " + statusText(r.status())
                + (server.isEmpty() ? "" : ": " + server));
    }

    /** The registry's error text: {@code code: message} from its JSON errors, else the body's start. */
    static String serverMessage(HttpTransport.Response r, boolean withCode) {
        byte[] body;
        try {
            body = r.body().readNBytes(64 * 1024);
        } catch (IOException e) {
            return "";
        }
        try {
            JsonNode doc = Json.MAPPER.readTree(body);
            List<String> parts = new ArrayList<>();
            for (JsonNode e : doc.path("errors")) {
                String code = e.path("code").asString("").toLowerCase(Locale.ROOT);
                String message = e.path("message").asString("");
                parts.add(withCode && !code.isEmpty() ? code + ": " + message : message);
            }
            if (!parts.isEmpty()) {
                return String.join("; ", parts);
            }
        } catch (RuntimeException notJson) {
            // Fall through to the raw text.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** A transport failure in the words Go's HTTP client (and so containerd) would use. */
    static String requestError(IOException e, URI uri) {
        String authority = uri.getRawAuthority();
        String detail;
        if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
            detail = "dial tcp: lookup " + uri.getHost() + ": no such host";
        } else if (e instanceof HttpConnectTimeoutException) {
            detail = "dial tcp " + authority + ": i/o timeout";
        } else if (e instanceof HttpTimeoutException) {
            detail = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
        } else if (e instanceof ConnectException) {
            detail = "dial tcp " + authority + ": connect: connection refused";
        } else if (hasCause(e, SSLException.class)) {
            detail = "tls: " + e.getMessage();
        } else {
            detail = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return "failed to do request: Get \"" + uri + "\": " + detail;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static String statusText(int status) {
        String text = switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
        return text.isEmpty() ? Integer.toString(status) : status + " " + text;
    }
}
