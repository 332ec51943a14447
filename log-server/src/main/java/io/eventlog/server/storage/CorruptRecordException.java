package io.eventlog.server.storage;

/** A stored excerpt failed its checksum or does not parse: a torn or corrupt write. */
public final class CorruptRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }
}
