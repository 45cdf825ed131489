package io.kubevisor.cli;

import picocli.CommandLine.Command;

/** {@code kubevisor version}. */
@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Runnable {
    @Override
    public void run() {
        for (String line : new VersionProvider().getVersion()) {
            System.out.println(line);
        }
    }
}
