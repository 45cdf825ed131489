package io.kubevisor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Where and when the benchmark ran.
 *
 * @param date    start time, ISO-8601 with offset
 * @param cpus    processors this JVM sees
 * @param cpuModel model name from /proc/cpuinfo
 * @param memory  MemTotal from /proc/meminfo
 * @param kernel  os.name and os.version
 * @param jdk     vendor and full version
 * @param jvmArgs the JVM's input arguments
 * @param loadavg /proc/loadavg at start
 */
record Machine(String date, int cpus, String cpuModel, String memory, String kernel, String jdk, String jvmArgs,
               String loadavg) {

    static Machine probe() {
        return new Machine(
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                Runtime.getRuntime().availableProcessors(),
                firstValue(Path.of("/proc/cpuinfo"), "model name"),
                firstValue(Path.of("/proc/meminfo"), "MemTotal"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.vendor") + " " + Runtime.version(),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                currentLoadavg());
    }

    static String currentLoadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    String markdown() {
        return Markdown.table(List.of("what", "value"), List.of(
                List.of("date", date),
                List.of("cpus (nproc)", Integer.toString(cpus)),
                List.of("cpu model", cpuModel),
                List.of("memory", memory),
                List.of("kernel", kernel),
                List.of("JDK", jdk),
                List.of("JVM flags", "`" + jvmArgs + "`"),
                List.of("load average at start", loadavg)));
    }

    private static String firstValue(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    String value = line.substring(line.indexOf(':') + 1).trim();
                    return value.isEmpty() ? "n/a" : value;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "n/a";
    }
}
