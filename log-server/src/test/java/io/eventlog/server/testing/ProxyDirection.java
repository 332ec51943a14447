package io.eventlog.server.testing;

import io.eventlog.server.testing.TcpProxy.Mode;
import java.util.concurrent.atomic.LongAdder;

/** One direction of a {@link TcpProxy}, shared by all its connections: the mode it is in now. */
final class ProxyDirection {
    private final String name;
    private Mode mode = Mode.PASS;
    /** Bytes written to the receiving side, over all connections. */
    private final LongAdder delivered = new LongAdder();

    ProxyDirection(String name) {
        this.name = name;
    }

    /** Sets the mode; returns the one before. */
    synchronized Mode switchTo(Mode next) {
        Mode before = mode;
        mode = next;
        return before;
    }

    void delivered(int bytes) {
        delivered.add(bytes);
    }

    long deliveredBytes() {
        return delivered.sum();
    }

    synchronized Mode mode() {
        return mode;
    }

    /**
     * The mode that applies to bytes a pump has just read. A blackhole marks the pump as having lost bytes
     * under the same lock as {@link #switchTo}, so the heal that follows is sure to see the mark.
     */
    synchronized Mode admit(ProxyPump pump) {
        if (mode.kind() == Mode.Kind.BLACKHOLE) {
            pump.markLostBytes();
        }
        return mode;
    }

    @Override
    public String toString() {
        return name;
    }
}
