package io.kubevisor.apiserver.kinds.support;

import java.util.Base64;

/**
 * The base64 {@code []byte} fields of Secrets and ConfigMaps, checked as Go's decoder does, with
 * its error text ({@code illegal base64 data at input byte 4}). Stateless.
 */
public final class Base64Data {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private Base64Data() {
    }

    /**
     * The decoded bytes of {@code text}.
     *
     * @throws Decoding.MalformedValue when the text is not standard, padded base64
     */
    public static byte[] decode(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        int quantumStart = 0;
        int inQuantum = 0;
        boolean padding = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (inQuantum == 0) {
                quantumStart = i;
            }
            if (padding && c != '=') {
                throw bad(i);
            }
            if (c == '=') {
                if (inQuantum < 2) {
                    throw bad(i);
                }
                padding = true;
            } else if (ALPHABET.indexOf(c) < 0) {
                throw bad(i);
            }
            clean.append(c);
            inQuantum = (inQuantum + 1) % 4;
        }
        if (inQuantum != 0) {
            throw bad(quantumStart);
        }
        try {
            return Base64.getDecoder().decode(clean.toString());
        } catch (IllegalArgumentException e) {
            throw bad(Math.max(0, text.length() - 1));
        }
    }

    private static Decoding.MalformedValue bad(int at) {
        return new Decoding.MalformedValue("illegal base64 data at input byte " + at);
    }
}
