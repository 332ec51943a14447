package io.eventlog.server.projection;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.ErrorCode;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLogException;
import io.eventlog.api.EventLog;
import io.eventlog.api.ReadRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import reactor.util.retry.Retry;

/**
 * Appends random deposits and withdrawals to accounts, and audit entries (other streams) between them.
 * On a cluster member an append that meets an election is retried: a retried append whose first try did
 * commit is in the log twice, which the tests allow, as they compare against the log as it is.
 */
public final class Ledger {
    public static final String ACCOUNT_PREFIX = "account-";
    public static final EntrySelection ACCOUNTS = EntrySelection.streamPrefix(ACCOUNT_PREFIX);
    private static final int ACCOUNT_COUNT = 7;

    private Ledger() {
    }

    /** {@code appends} appends of 1 to 3 events each; returns the last one's result. */
    public static AppendResult append(EventLog log, Random random, int appends) {
        AppendResult last = null;
        for (int i = 0; i < appends; i++) {
            last = log.append(nextStream(random), events(random), AppendOptions.DEFAULT)
                    .retryWhen(Retry.backoff(20, Duration.ofMillis(100)).filter(Ledger::electionUnderWay))
                    .block(Duration.ofSeconds(60));
        }
        return last;
    }

    private static boolean electionUnderWay(Throwable e) {
        return e instanceof EventLogException failure && (failure.code() == ErrorCode.NO_LEADER
                || failure.code() == ErrorCode.UNAVAILABLE || failure.code() == ErrorCode.TIMEOUT);
    }

    static String nextStream(Random random) {
        return random.nextInt(5) == 0 ? "audit-" + random.nextInt(3) : ACCOUNT_PREFIX + random.nextInt(ACCOUNT_COUNT);
    }

    static List<EventData> events(Random random) {
        List<EventData> events = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            String type = random.nextInt(3) == 0 ? "Withdrawn" : "Deposited";
            events.add(EventData.json(type, "{\"amount\":" + (1 + random.nextInt(1000)) + "}"));
        }
        return events;
    }

    public static List<Entry> readAll(EventLog log) {
        return log.read(ReadRequest.log(0, Integer.MAX_VALUE)).collectList().block(Duration.ofSeconds(60));
    }
}
