package io.eventlog.binary;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.ReadRequest;
import io.eventlog.api.SubscribeRequest;
import io.eventlog.wire.ErrorBody;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes {@link Frame}s (layout in docs/PROTOCOL.md). A frame on the wire is
 * {@code length:i32} and then {@code length} bytes: {@code type:u8 requestId:i64 body}. Big-endian;
 * a string is {@code len:i32} (-1 for null) and UTF-8, bytes are {@code len:i32} and the bytes.
 */
public final class FrameCodec {
    /** What a client's HELLO starts with: "ELB" and the protocol version. */
    public static final int MAGIC = 0x454C4200;
    public static final int VERSION = 1;
    /** Length prefix, type and request id. */
    public static final int HEADER_BYTES = 4 + 1 + 8;

    static final byte HELLO = 1;
    static final byte APPEND = 2;
    static final byte READ = 3;
    static final byte SUBSCRIBE = 4;
    static final byte CREDIT = 5;
    static final byte CANCEL = 6;
    static final byte CLUSTER = 7;
    static final byte HELLO_OK = 65;
    static final byte APPENDED = 66;
    static final byte ENTRY = 67;
    static final byte END = 68;
    static final byte ERROR = 69;
    static final byte CLUSTER_STATE = 70;
    static final byte HEARTBEAT = 71;

    private FrameCodec() {
    }

    /** Writes the frame, length prefix included, at the writer index of {@code out}. */
    public static void encode(Frame frame, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0); // the length, set below
        out.writeByte(0); // the type, set below
        out.writeLong(frame.requestId());
        out.setByte(start + 4, frame instanceof Frame.FromClient ? encodeRequest(frame, out) : encodeAnswer(frame, out));
        out.setInt(start, out.writerIndex() - start - 4);
    }

    /** Writes the body of a client's frame; returns its type. */
    private static byte encodeRequest(Frame frame, ByteBuf out) {
        if (frame instanceof Frame.Hello hello) {
            out.writeInt(MAGIC | hello.version());
            return HELLO;
        }
        if (frame instanceof Frame.Append append) {
            writeString(out, append.stream());
            out.writeLong(append.options().expectedVersion().value());
            writeString(out, append.options().idempotencyKey());
            out.writeInt(append.events().size());
            for (EventData event : append.events()) {
                writeString(out, event.type());
                writeHeaders(out, event.headers());
                writeBytes(out, event.data());
            }
            return APPEND;
        }
        if (frame instanceof Frame.Read read) {
            ReadRequest request = read.request();
            writeString(out, request.stream());
            out.writeLong(request.from());
            out.writeInt(request.limit());
            out.writeLong(request.minOffset());
            return READ;
        }
        if (frame instanceof Frame.Subscribe subscribe) {
            SubscribeRequest request = subscribe.request();
            writeString(out, request.stream());
            out.writeLong(request.from());
            out.writeBoolean(request.fromEnd());
            out.writeLong(request.minOffset());
            out.writeLong(subscribe.credit());
            return SUBSCRIBE;
        }
        if (frame instanceof Frame.Credit credit) {
            out.writeLong(credit.credit());
            return CREDIT;
        }
        return frame instanceof Frame.Cluster ? CLUSTER : CANCEL;
    }

    /** Writes the body of a server's frame; returns its type. */
    private static byte encodeAnswer(Frame frame, ByteBuf out) {
        if (frame instanceof Frame.HelloOk ok) {
            out.writeInt(ok.version());
            writeString(out, ok.nodeId());
            return HELLO_OK;
        }
        if (frame instanceof Frame.Appended appended) {
            AppendResult result = appended.result();
            writeString(out, result.stream());
            out.writeLong(result.offset());
            out.writeLong(result.version());
            out.writeLong(result.firstOffset());
            out.writeLong(result.firstVersion());
            out.writeInt(result.count());
            return APPENDED;
        }
        if (frame instanceof Frame.EntryFrame entryFrame) {
            Entry entry = entryFrame.entry();
            out.writeLong(entry.offset());
            writeString(out, entry.stream());
            out.writeLong(entry.version());
            out.writeLong(entry.timestamp());
            writeString(out, entry.type());
            writeHeaders(out, entry.headers());
            writeBytes(out, entry.data());
            return ENTRY;
        }
        if (frame instanceof Frame.Error error) {
            writeBytes(out, error.body().encode());
            return ERROR;
        }
        if (frame instanceof Frame.Heartbeat) {
            return HEARTBEAT;
        }
        if (frame instanceof Frame.ClusterState state) {
            writeString(out, state.node());
            writeString(out, state.leader());
            out.writeLong(state.commitIndex());
            return CLUSTER_STATE;
        }
        return END;
    }

    /**
     * Decodes one frame from its bytes (without the length prefix), consuming them all.
     *
     * @throws MalformedFrameException when the bytes are not a frame
     * @throws InvalidRequestException when they are, but the request they carry is not valid
     */
    public static Frame decode(ByteBuf in) {
        if (in.readableBytes() < 9) {
            throw new MalformedFrameException("a frame of " + in.readableBytes() + " bytes is shorter than its header");
        }
        byte type = in.readByte();
        long id = in.readLong();
        Frame frame;
        try {
            frame = decodeBody(type, id, in);
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedFrameException("frame type " + type + " ends before its fields do");
        } catch (EventLogException e) {
            if (e instanceof MalformedFrameException) {
                throw e;
            }
            throw new InvalidRequestException(id, e);
        }
        if (in.isReadable()) {
            throw new MalformedFrameException("frame type " + type + " has " + in.readableBytes() + " bytes past its fields");
        }
        return frame;
    }

    private static Frame decodeBody(byte type, long id, ByteBuf in) {
        return switch (type) {
            case HELLO -> {
                int magic = in.readInt();
                if ((magic & 0xFFFFFF00) != MAGIC) {
                    throw new MalformedFrameException("not an eventlog client: bad HELLO magic");
                }
                yield new Frame.Hello(magic & 0xFF);
            }
            case APPEND -> {
                String stream = readString(in);
                long expected = in.readLong();
                String key = readString(in);
                int count = readCount(in, 4 + 4 + 4);
                List<EventData> events = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    events.add(new EventData(readString(in), readHeaders(in), readBytes(in)));
                }
                yield new Frame.Append(id, stream, events, new AppendOptions(new ExpectedVersion(expected), key));
            }
            case READ -> new Frame.Read(id, new ReadRequest(readString(in), in.readLong(), in.readInt(), in.readLong()));
            case SUBSCRIBE -> {
                SubscribeRequest request = new SubscribeRequest(readString(in), in.readLong(), in.readBoolean(),
                        in.readLong());
                yield new Frame.Subscribe(id, request, in.readLong());
            }
            case CREDIT -> new Frame.Credit(id, in.readLong());
            case CANCEL -> new Frame.Cancel(id);
            case CLUSTER -> new Frame.Cluster(id);
            case HELLO_OK -> new Frame.HelloOk(in.readInt(), readString(in));
            case APPENDED -> new Frame.Appended(id, new AppendResult(readString(in), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong(), in.readInt()));
            case ENTRY -> new Frame.EntryFrame(id, new Entry(in.readLong(), readString(in), in.readLong(),
                    in.readLong(), readString(in), readHeaders(in), readBytes(in)));
            case END -> new Frame.End(id);
            case ERROR -> new Frame.Error(id, ErrorBody.decode(readBytes(in)));
            case CLUSTER_STATE -> new Frame.ClusterState(id, readString(in), readString(in), in.readLong());
            case HEARTBEAT -> new Frame.Heartbeat();
            default -> throw new MalformedFrameException("unknown frame type " + type);
        };
    }

    private static void writeString(ByteBuf out, String value) {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        int at = out.writerIndex();
        out.writeInt(0);
        int length = out.writeCharSequence(value, StandardCharsets.UTF_8);
        out.setInt(at, length);
    }

    private static void writeBytes(ByteBuf out, byte[] value) {
        out.writeInt(value.length);
        out.writeBytes(value);
    }

    private static void writeHeaders(ByteBuf out, Map<String, String> headers) {
        out.writeInt(headers.size());
        headers.forEach((name, value) -> {
            writeString(out, name);
            writeString(out, value);
        });
    }

    private static String readString(ByteBuf in) {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        requireReadable(in, length, "string");
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    private static byte[] readBytes(ByteBuf in) {
        int length = in.readInt();
        requireReadable(in, length, "byte field");
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    private static Map<String, String> readHeaders(ByteBuf in) {
        int count = readCount(in, 8);
        Map<String, String> headers = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            String value = readString(in);
            if (name == null || value == null) {
                throw new MalformedFrameException("a header name or value is null");
            }
            headers.put(name, value);
        }
        return headers;
    }

    /** A count of items of at least {@code minItemBytes} each, checked against what is left, so a lie cannot allocate. */
    private static int readCount(ByteBuf in, int minItemBytes) {
        int count = in.readInt();
        if (count < 0 || (long) count * minItemBytes > in.readableBytes()) {
            throw new MalformedFrameException("a count of " + count + " does not fit in the frame");
        }
        return count;
    }

    private static void requireReadable(ByteBuf in, int length, String what) {
        if (length < 0 || length > in.readableBytes()) {
            throw new MalformedFrameException("a " + what + " of " + length + " bytes does not fit in the frame");
        }
    }
}
