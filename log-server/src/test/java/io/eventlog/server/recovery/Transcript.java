package io.eventlog.server.recovery;

import io.eventlog.api.AppendResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an {@link AppendWorkload} child said on stdout: which appends it sent and which were acknowledged. */
final class Transcript {
    final Map<String, WorkloadEvents.Sent> sent = new LinkedHashMap<>();
    final Map<String, AppendResult> acked = new LinkedHashMap<>();
    final Map<String, String> errors = new LinkedHashMap<>();
    long openedLastOffset = Long.MIN_VALUE;
    long openMillis = -1;
    boolean done;

    static Transcript parse(List<String> lines) {
        Transcript t = new Transcript();
        for (String line : lines) {
            String[] f = line.split(" ", 3);
            switch (f[0]) {
                case "OPENED" -> {
                    String[] g = line.split(" ");
                    t.openedLastOffset = Long.parseLong(g[1]);
                    t.openMillis = Long.parseLong(g[2]);
                }
                case "SENT" -> {
                    String[] g = line.split(" ");
                    t.sent.put(g[1], new WorkloadEvents.Sent(g[1], g[2], Integer.parseInt(g[3]),
                            "-".equals(g[4]) ? null : g[4]));
                }
                case "ACK" -> {
                    String[] g = line.split(" ");
                    t.acked.put(g[1], new AppendResult(g[2], Long.parseLong(g[4]), Long.parseLong(g[6]),
                            Long.parseLong(g[3]), Long.parseLong(g[5]), Integer.parseInt(g[7])));
                }
                case "ERR" -> t.errors.put(f[1], f.length > 2 ? f[2] : "");
                case "DONE" -> t.done = true;
                default -> {
                    // not part of the protocol
                }
            }
        }
        return t;
    }

    long ackedEntries() {
        return acked.values().stream().mapToLong(AppendResult::count).sum();
    }
}
