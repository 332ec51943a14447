package io.eventlog.server.replicated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.server.storage.RecordCodec;
import io.eventlog.server.storage.StoredRecord;
import io.eventlog.wire.JsonOut;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;

/**
 * The peer addresses of members added at run time travel through the log, so that every member
 * (and a future leader) can reach them: the leader proposes an entry of the reserved stream
 * {@value #STREAM} right after the membership change. Such entries are applied to the address
 * book only: never served, never part of a stream (the offset stays a gap, like a no-op's).
 */
final class MemberAddresses {
    static final String STREAM = "$cluster";
    private static final String TYPE = "MemberAddress";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemberAddresses() {
    }

    static boolean isSystemRecord(StoredRecord record) {
        return record.stream().startsWith("$");
    }

    /** The entry payload saying where node {@code id} is (null: it left). */
    static byte[] payload(long id, InetSocketAddress address, long timestamp) {
        JsonOut data = new JsonOut().raw('{').field("id", true).number(id).field("peer_address", false);
        if (address == null) {
            data.ascii("null");
        } else {
            data.string(address.getHostString() + ":" + address.getPort());
        }
        byte[] body = RecordCodec.encodeBody(STREAM, TYPE, Map.of(), data.raw('}').toByteArray());
        return RecordCodec.encodeEventPayload(timestamp, 0, 1, null, body);
    }

    /** Updates {@code book} with what an applied {@value #STREAM} record says. */
    static void apply(StoredRecord record, Map<Long, InetSocketAddress> book) {
        if (!STREAM.equals(record.stream()) || !TYPE.equals(record.type())) {
            throw new IllegalStateException("unknown system record " + record.stream() + "/" + record.type()
                    + " at offset " + record.offset());
        }
        try {
            JsonNode data = JSON.readTree(record.data());
            long id = data.get("id").asLong();
            JsonNode address = data.get("peer_address");
            if (address == null || address.isNull()) {
                book.remove(id);
            } else {
                book.put(id, parse(address.asText()));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the member address at offset " + record.offset() + " does not parse", e);
        }
    }

    /** The whole address book, for a snapshot: {@code count:i32 { id:i64 address:utf }} (address as host:port). */
    static byte[] encodeBook(Map<Long, InetSocketAddress> book) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(book.size());
            for (Map.Entry<Long, InetSocketAddress> member : book.entrySet()) {
                out.writeLong(member.getKey());
                out.writeUTF(member.getValue().getHostString() + ":" + member.getValue().getPort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The address book {@link #encodeBook} wrote. */
    static Map<Long, InetSocketAddress> decodeBook(byte[] encoded) {
        Map<Long, InetSocketAddress> book = new TreeMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            for (int i = in.readInt(); i > 0; i--) {
                long id = in.readLong();
                book.put(id, parse(in.readUTF()));
            }
            if (in.available() > 0) {
                throw new IllegalStateException(in.available() + " stray bytes after the address book");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the address book does not parse", e);
        }
        return book;
    }

    private static InetSocketAddress parse(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }
}
