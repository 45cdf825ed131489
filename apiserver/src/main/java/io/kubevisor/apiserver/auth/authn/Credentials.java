package io.kubevisor.apiserver.auth.authn;

import java.security.cert.X509Certificate;
import java.util.List;

/** What a request presented: a TLS client chain and/or a bearer token. */
public record Credentials(List<X509Certificate> peerChain, String bearerToken) {
}
