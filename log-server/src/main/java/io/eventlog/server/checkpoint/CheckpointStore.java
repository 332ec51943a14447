package io.eventlog.server.checkpoint;

import io.eventlog.server.storage.Fsync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint files of a node, {@code <data>/checkpoints/<covered offset, 20 digits>.ckpt}. A
 * checkpoint is written to {@code <name>.tmp}, fsynced, renamed to its name and the directory
 * fsynced, so a file with a checkpoint's name is always whole; a crash leaves at most a temp file,
 * which is never read and is deleted when the store opens. The newest {@code kept} files are kept.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.ckpt");
    private static final String TEMP_SUFFIX = ".tmp";

    /** Writes a checkpoint's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Reads a checkpoint's content, refusing one that cannot be used. */
    @FunctionalInterface
    public interface Loader<T> {
        T load(FileChannel channel) throws IOException, UnusableCheckpointException;
    }

    /** A checkpoint loaded: which one, and what its loader made of it. */
    public record Loaded<T>(Checkpoint checkpoint, T content) {
    }

    private final Path directory;
    private final int kept;

    private CheckpointStore(Path directory, int kept) {
        this.directory = directory;
        this.kept = kept;
    }

    /** Opens (or creates) the directory and deletes temp files a crash left behind. */
    public static CheckpointStore open(Path directory, int kept) {
        try {
            Fsync.createDirectory(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path temp : files.filter(f -> f.getFileName().toString().endsWith(TEMP_SUFFIX)).toList()) {
                    LOG.info("deleting {}: a checkpoint that was being written when the node stopped", temp);
                    Files.delete(temp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the checkpoint directory " + directory, e);
        }
        return new CheckpointStore(directory, kept);
    }

    public Path directory() {
        return directory;
    }

    /** Writes the checkpoint that covers up to {@code offset}, then deletes all but the newest {@code kept}. */
    public Checkpoint write(long offset, Content content) throws IOException {
        Path file = directory.resolve(String.format("%020d.ckpt", offset));
        Path temp = file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            content.writeTo(channel);
            CrashPoint.BEFORE_FSYNC.reached();
            channel.force(false); // fdatasync: the data and the size, all a new file needs
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        CrashPoint.BEFORE_RENAME.reached();
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        CrashPoint.AFTER_RENAME.reached();
        Fsync.directory(directory);
        prune();
        return new Checkpoint(offset, file);
    }

    /**
     * Loads the newest checkpoint the loader accepts, trying older ones after a refusal (logged):
     * a corrupt file is kept and passed over, one whose record the log does not hold is deleted.
     * Returns null when none is usable (a full replay follows).
     */
    public <T> Loaded<T> loadNewestValid(Loader<T> loader) {
        for (Checkpoint checkpoint : list()) {
            try (FileChannel channel = FileChannel.open(checkpoint.file(), StandardOpenOption.READ)) {
                return new Loaded<>(checkpoint, loader.load(channel));
            } catch (IOException e) {
                LOG.warn("checkpoint {} cannot be read ({}): trying an older one", checkpoint.file(), e.toString());
            } catch (UnusableCheckpointException e) {
                refuse(checkpoint, e);
            }
        }
        return null;
    }

    private void refuse(Checkpoint checkpoint, UnusableCheckpointException e) {
        if (e.reason() == UnusableCheckpointException.Reason.CORRUPT) {
            LOG.warn("checkpoint {} is corrupt ({}): kept for inspection, trying an older one", checkpoint.file(),
                    e.getMessage());
            return;
        }
        LOG.warn("checkpoint {} does not match the log ({}): deleting it, trying an older one", checkpoint.file(),
                e.getMessage());
        delete(checkpoint);
    }

    /**
     * The lowest queue index an anchor of the checkpoints on disk names, or -1 when there is none: the
     * log from there on is what any of them needs (retention keeps it). A file whose header does not
     * read is passed over: start-up could not use it either.
     */
    public long oldestAnchorQueueIndex() {
        long oldest = -1;
        for (Checkpoint checkpoint : list()) {
            try (FileChannel channel = FileChannel.open(checkpoint.file(), StandardOpenOption.READ)) {
                LogAnchor anchor = CheckpointCodec.anchorOf(channel);
                if (anchor != null && anchor.isHeld() && (oldest < 0 || anchor.queueIndex() < oldest)) {
                    oldest = anchor.queueIndex();
                }
            } catch (IOException e) {
                LOG.warn("cannot read the anchor of checkpoint {}: {}", checkpoint.file(), e.toString());
            }
        }
        return oldest;
    }

    /** The checkpoints on disk, newest (highest offset) first. */
    public List<Checkpoint> list() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(this::parse).filter(c -> c != null)
                    .sorted(Comparator.comparingLong(Checkpoint::offset).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private Checkpoint parse(Path file) {
        Matcher name = NAME.matcher(file.getFileName().toString());
        return name.matches() ? new Checkpoint(Long.parseLong(name.group(1)), file) : null;
    }

    private void prune() {
        List<Checkpoint> all = list();
        all.subList(Math.min(kept, all.size()), all.size()).forEach(this::delete);
    }

    private void delete(Checkpoint checkpoint) {
        try {
            Files.deleteIfExists(checkpoint.file());
        } catch (IOException e) {
            LOG.warn("cannot delete checkpoint {}: {}", checkpoint.file(), e.toString());
        }
    }
}
