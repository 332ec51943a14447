package io.eventlog.server.projection;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.AppendResult;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import io.eventlog.api.EventLog;
import io.eventlog.api.ReadRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Appends random deposits and withdrawals to accounts, and audit entries (other streams) between them. */
final class Ledger {
    static final String ACCOUNT_PREFIX = "account-";
    private static final int ACCOUNTS = 7;

    private Ledger() {
    }

    /** {@code appends} appends of 1 to 3 events each; returns the last one's result. */
    static AppendResult append(EventLog log, Random random, int appends) {
        AppendResult last = null;
        for (int i = 0; i < appends; i++) {
            last = log.append(nextStream(random), events(random), AppendOptions.DEFAULT).block(Duration.ofSeconds(20));
        }
        return last;
    }

    static String nextStream(Random random) {
        return random.nextInt(5) == 0 ? "audit-" + random.nextInt(3) : ACCOUNT_PREFIX + random.nextInt(ACCOUNTS);
    }

    static List<EventData> events(Random random) {
        List<EventData> events = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            String type = random.nextInt(3) == 0 ? "Withdrawn" : "Deposited";
            events.add(EventData.json(type, "{\"amount\":" + (1 + random.nextInt(1000)) + "}"));
        }
        return events;
    }

    static List<Entry> readAll(EventLog log) {
        return log.read(ReadRequest.log(0, Integer.MAX_VALUE)).collectList().block(Duration.ofSeconds(60));
    }
}
