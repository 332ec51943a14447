package io.eventlog.server.storage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncTest {
    @TempDir
    Path dir;

    @Test
    void createDirectoryMakesMissingParentsAndLeavesAnExistingDirectoryAsItIs() throws IOException {
        Path nested = dir.resolve("a/b/c");
        Fsync.createDirectory(nested);
        assertTrue(Files.isDirectory(nested));

        Files.writeString(nested.resolve("kept"), "x");
        Fsync.createDirectory(nested);
        assertTrue(Files.exists(nested.resolve("kept")));
    }

    @Test
    void createDirectoryFailsWhereAFileHasTheName() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Fsync.createDirectory(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
