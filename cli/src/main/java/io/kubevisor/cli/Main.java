package io.kubevisor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kubevisor} command. */
@Command(name = "kubevisor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Kubernetes with hard multi-tenancy: every pod a VM container, every tenant its own control plane.",
        subcommands = {UpCommand.class, NodeCommand.class, ImageCommand.class, VersionCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        int rc = new CommandLine(new Main()).execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }
}
