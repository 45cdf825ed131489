package io.kubevisor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.kubevisor.runtime.image.ImageException;
import io.kubevisor.runtime.image.ImageStore;
import io.kubevisor.runtime.image.ImageStoreOptions;
import io.kubevisor.runtime.image.RegistryConfig;
import io.kubevisor.runtime.image.ResolvedImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubevisor image import|list}: the node's image store, for machines without a registry. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage the node's images.",
        subcommands = {ImageCommand.Import.class, ImageCommand.ListImages.class})
final class ImageCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The image store of a data dir, as the node agent uses it. */
    static ImageStore store(Path dataDir) {
        Path registries = dataDir.resolve("registries.json");
        RegistryConfig config = Files.exists(registries) ? RegistryConfig.load(registries) : RegistryConfig.empty();
        return new ImageStore(new ImageStoreOptions(dataDir.resolve("node").resolve("images"), config));
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import an OCI image archive or a docker-save archive (tar or tar.gz).")
    static final class Import implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "${sys:user.home}/.kubevisor",
                description = "The data dir of the node (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Parameters(paramLabel = "FILE", description = "The archive.")
        Path file;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                System.err.println("kubevisor: no such file: " + file);
                return 2;
            }
            try (ImageStore store = store(dataDir)) {
                List<ResolvedImage> images = store.importArchive(file);
                for (ResolvedImage i : images) {
                    System.out.println("imported " + i.name() + " (" + i.imageId() + ")");
                }
                return 0;
            } catch (ImageException e) {
                System.err.println("kubevisor: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the node's images.")
    static final class ListImages implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "${sys:user.home}/.kubevisor",
                description = "The data dir of the node (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Override
        public Integer call() {
            try (ImageStore store = store(dataDir)) {
                System.out.printf("%-60s %-20s %s%n", "IMAGE", "ID", "SIZE");
                for (ResolvedImage i : store.list()) {
                    String id = i.configDigest().replace("sha256:", "");
                    System.out.printf("%-60s %-20s %d%n", i.name(), id.substring(0, Math.min(12, id.length())), i.size());
                }
                return 0;
            }
        }
    }
}
