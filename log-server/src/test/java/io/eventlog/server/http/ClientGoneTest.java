package io.eventlog.server.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;

class ClientGoneTest {

    @Test
    void aClosedOrResetConnectionIsAClientGone() {
        assertTrue(ClientGone.is(new IOException("recvAddress(..) failed with error(-104): Connection reset by peer")));
        assertTrue(ClientGone.is(new IOException("writevAddresses(..) failed: Broken pipe")));
        assertTrue(ClientGone.is(new AbortedException("Connection has been closed")));
        assertTrue(ClientGone.is(new ClosedChannelException()));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(ClientGone.is(new IOException("No space left on device")));
        assertFalse(ClientGone.is(new IllegalStateException("bug")));
    }
}
