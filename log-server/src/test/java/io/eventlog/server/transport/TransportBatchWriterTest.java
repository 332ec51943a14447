package io.eventlog.server.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlog.replication.Entry;
import io.eventlog.replication.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportBatchWriterTest {
    private static final int MAX_FRAME = 8 * 1024;

    private int flushes;
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    });

    @Test
    void aBatchOfMessagesGoesOutAsOneRaftFrameWithOneFlush() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            messages.add(new Message.Heartbeat(1, 1, 2, 1, i, 0));
        }
        BatchWriter.writeAndFlush(channel, raftItems(messages), MAX_FRAME);

        assertEquals(1, flushes);
        assertEquals(List.of(new InboundFrame.RaftMessages(messages)), writtenFrames());
    }

    @Test
    void messagesBeyondTheFrameLimitStartANewFrameAndAppItemsGetTheirOwn() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            messages.add(new Message.AppendRequest(1, 1, 2, 1, i, 1, List.of(Entry.normal(i + 1, 1, new byte[3000])), i));
        }
        List<OutboundItem> batch = raftItems(messages);
        batch.add(3, new OutboundItem.App(new byte[] {1, 2, 3}));
        BatchWriter.writeAndFlush(channel, batch, MAX_FRAME);

        assertEquals(1, flushes);
        List<InboundFrame> frames = writtenFrames();
        assertEquals(5, frames.size(), frames.toString());
        assertEquals(messages.subList(0, 2), ((InboundFrame.RaftMessages) frames.get(0)).messages());
        assertEquals(messages.subList(2, 3), ((InboundFrame.RaftMessages) frames.get(1)).messages());
        assertArrayEquals(new byte[] {1, 2, 3}, assertInstanceOf(InboundFrame.AppData.class, frames.get(2)).data());
        assertEquals(messages.subList(3, 5), ((InboundFrame.RaftMessages) frames.get(3)).messages());
        assertEquals(messages.subList(5, 6), ((InboundFrame.RaftMessages) frames.get(4)).messages());
    }

    private static List<OutboundItem> raftItems(List<Message> messages) {
        List<OutboundItem> items = new ArrayList<>();
        messages.forEach(m -> items.add(new OutboundItem.Raft(m, MessageCodec.encodedSize(m))));
        return items;
    }

    private List<InboundFrame> writtenFrames() {
        List<InboundFrame> frames = new ArrayList<>();
        ByteBuf frame;
        while ((frame = channel.readOutbound()) != null) {
            long length = frame.readUnsignedInt();
            assertEquals(frame.readableBytes(), length);
            assertTrue(length <= MAX_FRAME);
            frames.add(FrameCodec.decode(frame));
            frame.release();
        }
        return frames;
    }
}
