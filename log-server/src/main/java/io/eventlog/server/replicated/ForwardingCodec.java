package io.eventlog.server.replicated;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventLogException;
import io.eventlog.api.ExpectedVersion;
import io.eventlog.api.WrongExpectedVersionException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends a follower forwards to its leader over the node-to-node transport, and the leader's
 * answers. Big-endian:
 * <pre>
 * request  type=1:u8 id:i64 expectedVersion:i64 key:str stream:str count:i32 { body: len:i32 bytes }
 * reply    type=2:u8 id:i64 outcome:u8
 *          outcome 0 (ok):          stream:str offset:i64 version:i64 firstOffset:i64 firstVersion:i64 count:i32
 *          outcome 1 (error):       code:str message:str expected:i64 actual:i64
 *          outcome 2 (not leader):  nothing; the follower sends it again once it knows the leader
 * empty    type=3:u8                 a node that started without any log tells its leader (see {@link #logEmpty})
 * str      len:i32 (-1 = null) utf8
 * </pre>
 */
final class ForwardingCodec {

    /** A forwarded append, as the leader receives it. */
    record Request(long id, String stream, List<byte[]> bodies, AppendOptions options) {
    }

    /**
     * The leader's answer: a result, an error ({@code errorCode} set), or neither when it is not the
     * leader. {@code expected} and {@code actual} belong to a {@code wrong_expected_version} error.
     */
    record Reply(long id, AppendResult result, String errorCode, String message, long expected, long actual) {
        boolean notLeader() {
            return result == null && errorCode == null;
        }

        EventLogException error(String stream) {
            ErrorCode code = ErrorCode.fromCode(errorCode);
            if (code == ErrorCode.WRONG_EXPECTED_VERSION) {
                return new WrongExpectedVersionException(stream, expected, actual);
            }
            return new EventLogException(code == null ? ErrorCode.INTERNAL : code, message);
        }
    }

    private static final byte REQUEST = 1;
    private static final byte REPLY = 2;
    private static final byte LOG_EMPTY = 3;
    private static final byte OK = 0;
    private static final byte ERROR = 1;
    private static final byte NOT_LEADER = 2;

    private ForwardingCodec() {
    }

    static byte[] request(long id, String stream, List<byte[]> bodies, AppendOptions options) {
        byte[] streamBytes = utf8(stream);
        byte[] key = options.idempotencyKey() == null ? null : utf8(options.idempotencyKey());
        int size = 1 + 8 + 8 + strLength(key) + strLength(streamBytes) + 4;
        for (byte[] body : bodies) {
            size += 4 + body.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(REQUEST).putLong(id).putLong(options.expectedVersion().value());
        putStr(out, key);
        putStr(out, streamBytes);
        out.putInt(bodies.size());
        for (byte[] body : bodies) {
            out.putInt(body.length).put(body);
        }
        return out.array();
    }

    static byte[] reply(long id, AppendResult result) {
        byte[] stream = utf8(result.stream());
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 1 + strLength(stream) + 8 * 4 + 4).put(REPLY).putLong(id).put(OK);
        return putStr(out, stream).putLong(result.offset()).putLong(result.version()).putLong(result.firstOffset())
                .putLong(result.firstVersion()).putInt(result.count()).array();
    }

    static byte[] reply(long id, EventLogException error) {
        byte[] code = utf8(error.code().code());
        byte[] message = utf8(error.getMessage() == null ? "" : error.getMessage());
        long expected = error instanceof WrongExpectedVersionException w ? w.expected() : 0;
        long actual = error instanceof WrongExpectedVersionException w ? w.actual() : 0;
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 1 + strLength(code) + strLength(message) + 16).put(REPLY)
                .putLong(id).put(ERROR);
        putStr(out, code);
        return putStr(out, message).putLong(expected).putLong(actual).array();
    }

    static byte[] notLeader(long id) {
        return ByteBuffer.allocate(1 + 8 + 1).put(REPLY).putLong(id).put(NOT_LEADER).array();
    }

    /**
     * Says that the sender's Raft log is empty: a node that lost its data directory and restarted with
     * the same id, or one that never had a log. Its leader may believe it holds entries it acknowledged.
     */
    static byte[] logEmpty() {
        return new byte[] {LOG_EMPTY};
    }

    static boolean isLogEmpty(byte[] message) {
        return message.length == 1 && message[0] == LOG_EMPTY;
    }

    static boolean isRequest(byte[] message) {
        return message.length > 0 && message[0] == REQUEST;
    }

    /** Decodes a request; {@link IllegalArgumentException} when it does not parse. */
    static Request decodeRequest(byte[] message) {
        try {
            ByteBuffer in = ByteBuffer.wrap(message);
            expectType(in, REQUEST);
            long id = in.getLong();
            long expected = in.getLong();
            String key = getStr(in);
            String stream = getStr(in);
            int count = in.getInt();
            if (count <= 0 || count > in.remaining() / 4) {
                throw new IllegalArgumentException("bad event count " + count);
            }
            List<byte[]> bodies = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                bodies.add(getBytes(in, in.getInt()));
            }
            expectEnd(in);
            return new Request(id, stream, bodies, new AppendOptions(new ExpectedVersion(expected), key));
        } catch (BufferUnderflowException | EventLogException e) {
            throw new IllegalArgumentException("forwarded append does not parse: " + e, e);
        }
    }

    /** Decodes a reply; {@link IllegalArgumentException} when it does not parse. */
    static Reply decodeReply(byte[] message) {
        try {
            ByteBuffer in = ByteBuffer.wrap(message);
            expectType(in, REPLY);
            long id = in.getLong();
            byte outcome = in.get();
            Reply reply;
            if (outcome == OK) {
                reply = new Reply(id, new AppendResult(getStr(in), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                        in.getInt()), null, null, 0, 0);
            } else if (outcome == ERROR) {
                reply = new Reply(id, null, getStr(in), getStr(in), in.getLong(), in.getLong());
            } else if (outcome == NOT_LEADER) {
                reply = new Reply(id, null, null, null, 0, 0);
            } else {
                throw new IllegalArgumentException("unknown outcome " + outcome);
            }
            expectEnd(in);
            return reply;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("forwarded append reply does not parse: " + e, e);
        }
    }

    private static void expectType(ByteBuffer in, byte type) {
        byte found = in.get();
        if (found != type) {
            throw new IllegalArgumentException("expected message type " + type + ", got " + found);
        }
    }

    private static void expectEnd(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " stray bytes");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int strLength(byte[] bytes) {
        return 4 + (bytes == null ? 0 : bytes.length);
    }

    private static ByteBuffer putStr(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            return out.putInt(-1);
        }
        return out.putInt(bytes.length).put(bytes);
    }

    private static String getStr(ByteBuffer in) {
        int length = in.getInt();
        return length < 0 ? null : new String(getBytes(in, length), StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " past the message's end");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
