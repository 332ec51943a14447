package io.eventlog.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync(2) of a file or a directory by path, for files written elsewhere (a mapped queue file, a renamed file). */
public final class Fsync {
    private Fsync() {
    }

    /** Makes the directory's entries (a rename, a new file or directory in it) durable. */
    public static void directory(Path directory) {
        force(directory, true);
    }

    /**
     * Creates the directory (and any missing parents) unless it exists, then makes its name durable in its
     * parent: no sync of the files inside covers that.
     */
    public static void createDirectory(Path directory) {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            directory(parent);
        }
    }

    /** Makes the file's data durable, including pages another mapping of it has written. */
    public static void file(Path file) {
        force(file, false);
    }

    private static void force(Path path, boolean metadata) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + path, e);
        }
    }
}
