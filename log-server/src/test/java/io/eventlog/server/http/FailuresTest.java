package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.api.ErrorCode;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;

class FailuresTest {

    @Test
    void aClosedOrResetConnectionIsAClientGone() {
        assertTrue(Failures.isClientGone(new IOException("recvAddress(..) failed with error(-104): Connection reset by peer")));
        assertTrue(Failures.isClientGone(new IOException("writevAddresses(..) failed: Broken pipe")));
        assertTrue(Failures.isClientGone(new AbortedException("Connection has been closed")));
        assertTrue(Failures.isClientGone(new ClosedChannelException()));
    }

    @Test
    void otherFailuresAreNotAndUnexpectedOnesAreInternal() {
        assertEquals(ErrorCode.INTERNAL, Failures.toEventLogException(new IllegalStateException("bug")).code());
        assertEquals(ErrorCode.TIMEOUT, Failures.toEventLogException(new TimeoutException()).code());
        assertFalse(Failures.isClientGone(new IOException("No space left on device")));
        assertFalse(Failures.isClientGone(new IllegalStateException("bug")));
    }
}
