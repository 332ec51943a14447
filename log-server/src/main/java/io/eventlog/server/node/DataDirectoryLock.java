package io.eventlog.server.node;

import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.server.storage.Fsync;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Keeps a second node, in this process or another, from opening the same data directory. */
final class DataDirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dataDir) {
        try {
            Fsync.createDirectory(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve("LOCK"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new EventLogException(ErrorCode.UNAVAILABLE,
                        "data directory " + dataDir.toAbsolutePath() + " is in use by another eventlog node");
            }
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new EventLogException(ErrorCode.UNAVAILABLE,
                    "cannot open data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot release the data directory lock", e);
        }
    }
}
