package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.kubevisor.api.Json;
import tools.jackson.core.JacksonException;

/** Reads and atomically replaces the small JSON records. */
final class Records {

    private Records() {
    }

    static void write(Path file, Object record) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The record, or null when the file is missing or unreadable. */
    static <T> T read(Path file, Class<T> type) {
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(file), type);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | JacksonException e) {
            return null;
        }
    }
}
