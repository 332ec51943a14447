package io.eventlog.server.transport;

import io.eventlog.replication.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a batch in as few frames as the frame limit allows (consecutive Raft messages share a RAFT
 * frame, each APP item has its own) and flushes once at the end.
 */
final class BatchWriter {
    private final Channel channel;
    private final int maxFrameLength;
    private final List<Message> messages = new ArrayList<>();
    private long messageBytes;
    private ChannelFuture last;

    private BatchWriter(Channel channel, int maxFrameLength) {
        this.channel = channel;
        this.maxFrameLength = maxFrameLength;
    }

    /** Returns the future of the last write: frames complete in order, so it completes last. */
    static ChannelFuture writeAndFlush(Channel channel, List<OutboundItem> batch, int maxFrameLength) {
        BatchWriter writer = new BatchWriter(channel, maxFrameLength);
        for (OutboundItem item : batch) {
            if (item instanceof OutboundItem.Raft raft) {
                writer.add(raft);
            } else if (item instanceof OutboundItem.App app) {
                writer.writeMessages();
                writer.write(FrameCodec.app(channel.alloc(), app.data()));
            }
        }
        writer.writeMessages();
        channel.flush();
        return writer.last;
    }

    private void add(OutboundItem.Raft raft) {
        if (!messages.isEmpty()
                && FrameCodec.raftFrameLength(messages.size() + 1, messageBytes + raft.size()) > maxFrameLength) {
            writeMessages();
        }
        messages.add(raft.message());
        messageBytes += raft.size();
    }

    private void writeMessages() {
        if (!messages.isEmpty()) {
            write(FrameCodec.raft(channel.alloc(), messages, messageBytes));
            messages.clear();
            messageBytes = 0;
        }
    }

    private void write(Object frame) {
        last = channel.write(frame);
    }
}
