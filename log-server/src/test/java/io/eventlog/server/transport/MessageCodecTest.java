package io.eventlog.server.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final long SEED = 0x5EED_C0DEL;

    @Test
    void everyMessageTypeRoundTripsToAnEqualMessageAndTheSameBytes() {
        RandomMessages random = new RandomMessages(SEED);
        for (int type = 0; type < RandomMessages.TYPES.size(); type++) {
            for (int i = 0; i < 300; i++) {
                Message message = random.next(type);
                byte[] bytes = encode(message);
                assertEquals(bytes.length, MessageCodec.encodedSize(message), message.toString());
                Message decoded = decode(bytes);
                assertTrue(RandomMessages.same(message, decoded), message + " came back as " + decoded);
                assertArrayEquals(bytes, encode(decoded), message.toString());
            }
        }
    }

    @Test
    void everyTruncationIsRejected() {
        RandomMessages random = new RandomMessages(SEED + 1);
        for (int type = 0; type < RandomMessages.TYPES.size(); type++) {
            for (int i = 0; i < 10; i++) {
                byte[] bytes = encode(random.next(type));
                for (int length = 0; length < bytes.length; length++) {
                    byte[] prefix = Arrays.copyOf(bytes, length);
                    assertThrows(MalformedFrameException.class, () -> decode(prefix), "prefix of " + length);
                }
            }
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = encode(new Message.TimeoutNow(1, 2, 3, 4));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertMalformed("1 trailing bytes after the message", longer);
    }

    @Test
    void unknownMessageTypesAreRejected() {
        for (int type : new int[] {0, 12, 255}) {
            assertMalformed("unknown message type " + type, wire().u8(type).header().bytes());
        }
    }

    @Test
    void aHugeDeclaredEntryCountIsRejectedBeforeAnythingIsAllocated() {
        assertMalformed("entry count 1099511627776 cannot fit in the 0 bytes left",
                appendRequestHead().varint(1L << 40).bytes());
        assertMalformed("entry count 18446744073709551615 cannot fit", appendRequestHead().varint(-1).bytes());
    }

    @Test
    void aPayloadLengthPastTheEndIsRejected() {
        byte[] bytes = appendRequestHead().varint(1).varint(7).varint(1).u8(0).varint(Integer.MAX_VALUE).u8(42).bytes();
        assertMalformed("entry payload of 2147483647 bytes runs past the end (1 bytes left)", bytes);
    }

    @Test
    void fieldValuesNoEncoderWritesAreRejected() {
        assertMalformed("granted must be 0 or 1, was 2", wire().u8(2).header().u8(2).u8(0).bytes());
        assertMalformed("unknown entry kind 3",
                appendRequestHead().varint(1).varint(7).varint(1).u8(3).varint(0).varint(0).bytes());
        assertMalformed("unknown snapshot outcome 3", wire().u8(8).header().varint(1).varint(0).u8(3).bytes());
        assertMalformed("readSeq is not minimally encoded", wire().u8(6).header().u8(0x81).u8(0).bytes());
        assertMalformed("readSeq overflows 64 bits",
                wire().u8(6).header().repeat(0xFF, 9).u8(0x02).bytes());
    }

    @Test
    void anInvalidMembershipIsRejected() {
        assertMalformed("invalid snapshot meta: node ids must be positive: 0", snapshotChunk(new long[] {0}, new long[0]));
        assertMalformed("duplicate voter id 3", snapshotChunk(new long[] {3, 3}, new long[0]));
        assertMalformed("invalid snapshot meta: node 3 is both voter and learner",
                snapshotChunk(new long[] {3}, new long[] {3}));
    }

    /** Random bytes either fail as malformed or are a message that encodes back to exactly them. */
    @Test
    void garbageIsRejectedOrIsACanonicalMessage() {
        Random random = new Random(SEED + 2);
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] garbage = new byte[random.nextInt(40)];
            random.nextBytes(garbage);
            if (garbage.length > 0) {
                garbage[0] = (byte) random.nextInt(13);
            }
            try {
                assertArrayEquals(garbage, encode(decode(garbage)));
                decoded++;
            } catch (MalformedFrameException expected) {
                // the common case
            }
        }
        assertTrue(decoded < 50_000, "some garbage must be rejected");
    }

    private static byte[] snapshotChunk(long[] voters, long[] learners) {
        Wire wire = wire().u8(7).header().varint(5).varint(2).varint(voters.length);
        Arrays.stream(voters).forEach(wire::varint);
        wire.varint(learners.length);
        Arrays.stream(learners).forEach(wire::varint);
        return wire.varint(0).varint(0).u8(1).bytes();
    }

    private static Wire appendRequestHead() {
        return wire().u8(3).header().varint(0).varint(0);
    }

    private static void assertMalformed(String expectedMessage, byte[] bytes) {
        MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> decode(bytes));
        assertTrue(e.getMessage().startsWith(expectedMessage), e.getMessage());
    }

    static byte[] encode(Message message) {
        ByteBuf buf = Unpooled.buffer();
        MessageCodec.encode(message, buf);
        return ByteBufUtil.getBytes(buf);
    }

    static Message decode(byte[] bytes) {
        return MessageCodec.decode(Unpooled.wrappedBuffer(bytes));
    }

    static Wire wire() {
        return new Wire();
    }

    /** Hand-made bytes, for what no encoder writes. */
    static final class Wire {
        private final ByteBuf buf = Unpooled.buffer();

        Wire u8(int value) {
            buf.writeByte(value);
            return this;
        }

        Wire repeat(int value, int times) {
            for (int i = 0; i < times; i++) {
                buf.writeByte(value);
            }
            return this;
        }

        Wire varint(long value) {
            Varints.write(buf, value);
            return this;
        }

        /** group 1, from 1, to 2, term 1. */
        Wire header() {
            return varint(1).varint(1).varint(2).varint(1);
        }

        byte[] bytes() {
            return ByteBufUtil.getBytes(buf);
        }
    }
}
