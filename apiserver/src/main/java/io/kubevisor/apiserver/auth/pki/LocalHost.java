package io.kubevisor.apiserver.auth.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's host name, for the serving certificate. */
final class LocalHost {

    private LocalHost() {
    }

    /** The kernel's host name, else the JDK's local host name, else null. Never does a slow lookup first. */
    static String name() {
        try {
            // The kernel's name needs no resolver, unlike InetAddress.getLocalHost().
            String n = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!n.isEmpty()) {
                return n;
            }
        } catch (IOException | SecurityException e) {
            // not Linux: fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }
}
