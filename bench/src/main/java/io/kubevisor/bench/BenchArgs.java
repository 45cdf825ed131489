package io.kubevisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** What the benchmarks' command lines share: values of flags, numbers with a floor, --help, the run's directory. */
final class BenchArgs {

    private BenchArgs() {
    }

    /** The value after a flag. */
    static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** A whole number of at least {@code min}. */
    static int number(String text, String flag, int min) {
        try {
            int n = Integer.parseInt(text);
            if (n < min) {
                throw new IllegalArgumentException(flag + " must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a number: " + text);
        }
    }

    /**
     * The options, or null after printing the usage for --help; a bad command line prints why and
     * the usage and exits with 2.
     */
    static <T> T parseOrExit(String[] args, String usage, Function<String[], T> parse) {
        if (List.of(args).contains("--help")) {
            System.out.println(usage);
            return null;
        }
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + usage);
            System.exit(2);
            return null;
        }
    }

    /** A new directory for this run, under {@code dataDir} or a new temporary one. */
    static Path runDir(Path dataDir, String tempPrefix, String runPrefix) throws IOException {
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory(tempPrefix);
        return Files.createTempDirectory(dir.toAbsolutePath(), runPrefix);
    }
}
