package io.eventlog.server.binary;

import io.eventlog.api.Entry;
import io.eventlog.binary.Frame;
import io.eventlog.server.http.Failures;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * One subscription of a binary connection: entries go out as ENTRY frames, never more than the
 * client's credit, which is passed upstream as Reactor demand, so the node's emitter (and with it
 * the catch-up reader) runs only as fast as the client consumes.
 */
final class SubscriptionRelay extends BaseSubscriber<Entry> {
    private final long id;
    private final long initialCredit;
    private final Consumer<Frame> out;
    private final Runnable onEnd;

    SubscriptionRelay(long id, long initialCredit, Consumer<Frame> out, Runnable onEnd) {
        this.id = id;
        this.initialCredit = initialCredit;
        this.out = out;
        this.onEnd = onEnd;
    }

    void credit(long credit) {
        request(credit);
    }

    /** The client cancelled: it gets END once the node stops sending. */
    void cancelByClient() {
        dispose();
        out.accept(new Frame.End(id));
        onEnd.run();
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        if (initialCredit > 0) {
            subscription.request(initialCredit);
        }
    }

    @Override
    protected void hookOnNext(Entry entry) {
        out.accept(new Frame.EntryFrame(id, entry));
    }

    @Override
    protected void hookOnComplete() {
        out.accept(new Frame.End(id));
        onEnd.run();
    }

    @Override
    protected void hookOnError(Throwable error) {
        out.accept(Frame.Error.of(id, Failures.toEventLogException(error)));
        onEnd.run();
    }
}
