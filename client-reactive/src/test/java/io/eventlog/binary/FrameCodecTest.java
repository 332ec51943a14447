package io.eventlog.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.api.WrongExpectedVersionException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static final List<Frame> EVERY_KIND = List.of(
            new Frame.Hello(FrameCodec.VERSION),
            new Frame.Append(7, "orders-1", List.of(
                    new EventData("OrderPlaced", Map.of("trace", "abc", "é", "ü"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8)),
                    new EventData(null, Map.of(), new byte[0])),
                    new AppendOptions(ExpectedVersion.exactly(3), "key-1")),
            new Frame.Append(8, "s", List.of(EventData.json("{}")), AppendOptions.DEFAULT),
            new Frame.Read(9, ReadRequest.stream("orders-1", 2, 50).withMinOffset(40)),
            new Frame.Read(10, ReadRequest.log(0, 1000)),
            new Frame.Subscribe(11, SubscribeRequest.logFromEnd(), 256),
            new Frame.Subscribe(12, SubscribeRequest.stream("s", 5), 0),
            new Frame.Credit(11, Long.MAX_VALUE),
            new Frame.Cancel(11),
            new Frame.HelloOk(FrameCodec.VERSION, "node-1"),
            new Frame.Appended(7, new AppendResult("orders-1", 41, 5, 40, 4, 2)),
            new Frame.EntryFrame(9, new Entry(40, "orders-1", 4, 1_700_000_000_000L, "OrderPlaced",
                    Map.of("trace", "abc"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8))),
            new Frame.End(9),
            new Frame.Heartbeat(),
            new Frame.Cluster(12),
            new Frame.ClusterState(12, "2", "1", 77),
            new Frame.ClusterState(13, "2", null, 0),
            Frame.Error.of(8, new WrongExpectedVersionException("s", 3, 5)),
            Frame.Error.of(0, new MalformedFrameException("bad")));

    @Test
    void everyFrameSurvivesARoundTrip() {
        for (Frame frame : EVERY_KIND) {
            ByteBuf buffer = Unpooled.buffer();
            FrameCodec.encode(frame, buffer);
            assertEquals(buffer.readableBytes() - 4, buffer.readInt(), "length prefix of " + frame);
            Frame decoded = FrameCodec.decode(buffer);
            assertEquals(frame, decoded); // events and entries compare their data by value
        }
    }

    @Test
    void anErrorFrameCarriesTheSameErrorAsHttp() {
        ByteBuf buffer = encoded(Frame.Error.of(8, new WrongExpectedVersionException("s", 3, 5)));
        Frame.Error error = (Frame.Error) FrameCodec.decode(buffer);
        WrongExpectedVersionException e = assertInstanceOf(WrongExpectedVersionException.class,
                error.body().toException("s"));
        assertEquals(3, e.expected());
        assertEquals(5, e.actual());
    }

    @Test
    void everyTruncationIsMalformed() {
        for (Frame frame : EVERY_KIND) {
            byte[] whole = bytesOf(frame);
            for (int cut = 0; cut < whole.length; cut++) {
                ByteBuf truncated = Unpooled.wrappedBuffer(whole, 0, cut);
                assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(truncated),
                        frame + " cut at " + cut);
            }
        }
    }

    @Test
    void bytesPastTheFieldsAreMalformed() {
        byte[] whole = bytesOf(new Frame.End(3));
        ByteBuf longer = Unpooled.buffer().writeBytes(whole).writeByte(0);
        assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(longer));
    }

    @Test
    void aCountThatCannotFitIsRefusedBeforeAllocating() {
        ByteBuf frame = Unpooled.buffer().writeByte(FrameCodec.APPEND).writeLong(1);
        writeString(frame, "s");
        frame.writeLong(-2).writeInt(-1).writeInt(Integer.MAX_VALUE);
        MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(frame));
        assertEquals(ErrorCode.INVALID_FRAME, e.code());
    }

    @Test
    void aWellFormedButInvalidRequestNamesItsRequest() {
        ByteBuf frame = Unpooled.buffer().writeByte(FrameCodec.READ).writeLong(42);
        writeString(frame, "bad stream!");
        frame.writeLong(0).writeInt(10).writeLong(-1);
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> FrameCodec.decode(frame));
        assertEquals(42, e.requestId());
        assertEquals(ErrorCode.INVALID_STREAM, e.getCause().code());
    }

    @Test
    void randomBytesAreMalformedOrInvalidNeverAnythingElse() {
        Random random = new Random(20261122);
        List<Throwable> unexpected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
            } else { // a valid frame with a few bytes flipped reaches deeper into the decoder
                bytes = bytesOf(EVERY_KIND.get(random.nextInt(EVERY_KIND.size())));
                bytes = Arrays.copyOfRange(bytes, 4, bytes.length);
                for (int flips = 1 + random.nextInt(3); flips > 0 && bytes.length > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                FrameCodec.decode(Unpooled.wrappedBuffer(bytes));
            } catch (MalformedFrameException | InvalidRequestException expected) {
                // the two outcomes a bad frame may have
            } catch (RuntimeException e) {
                unexpected.add(e);
            }
        }
        assertEquals(List.of(), unexpected);
    }

    private static ByteBuf encoded(Frame frame) {
        ByteBuf buffer = Unpooled.buffer();
        FrameCodec.encode(frame, buffer);
        buffer.skipBytes(4);
        return buffer;
    }

    private static byte[] bytesOf(Frame frame) {
        ByteBuf buffer = Unpooled.buffer();
        FrameCodec.encode(frame, buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    private static void writeString(ByteBuf out, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length).writeBytes(utf8);
    }
}
