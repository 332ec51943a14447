package io.eventlog.server.recovery;

import io.eventlog.api.AppendResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an {@link AppendWorkload} child said on stdout: which appends it sent and which were acknowledged.
 *
 * <p>It errs on the side of "sent": a SENT record found anywhere in a line (after other output merged
 * into it) counts, and so does the id of a SENT line cut by the kill ({@link #tornSent}), so a capture
 * problem can never make a sent append look unsent. Acknowledgements are taken only from well-formed
 * ACK lines. Lines that are not the protocol are kept in {@link #foreign} for failure messages.
 */
public final class Transcript {
    private static final Pattern SENT = Pattern.compile("SENT (\\S+) (\\S+) (\\d+) (\\S+)");
    private static final Pattern TORN_SENT = Pattern.compile("SENT (\\S+) ");
    private static final Pattern ACK = Pattern.compile("ACK (\\S+) (\\S+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)");

    final Map<String, WorkloadEvents.Sent> sent = new LinkedHashMap<>();
    final Map<String, AppendResult> acked = new LinkedHashMap<>();
    final Map<String, String> errors = new LinkedHashMap<>();
    /** Ids of appends whose SENT line the kill cut short (its count may be unknown): they count as sent. */
    final Set<String> tornSent = new LinkedHashSet<>();
    /** Complete lines that are not exactly the protocol (there should be none). */
    final List<String> foreign = new ArrayList<>();
    /** Every complete line, in order, for failure messages. */
    final List<String> lines = new ArrayList<>();
    String tornTail = "";
    long openedLastOffset = Long.MIN_VALUE;
    long openMillis = -1;
    boolean done;

    static Transcript parse(List<String> lines) {
        return parse(lines, "");
    }

    /**
     * @param tornTail what the child wrote after its last newline (a line cut by the kill), or ""
     */
    public static Transcript parse(List<String> lines, String tornTail) {
        Transcript t = new Transcript();
        t.lines.addAll(lines);
        t.tornTail = tornTail;
        for (String line : lines) {
            Matcher sent = SENT.matcher(line);
            Matcher ack = ACK.matcher(line);
            if (line.startsWith("OPENED ") && line.matches("OPENED -?\\d+ \\d+")) {
                String[] g = line.split(" ");
                t.openedLastOffset = Long.parseLong(g[1]);
                t.openMillis = Long.parseLong(g[2]);
            } else if (sent.matches()) {
                t.putSent(sent);
            } else if (ack.matches()) {
                t.acked.put(ack.group(1), new AppendResult(ack.group(2), Long.parseLong(ack.group(4)),
                        Long.parseLong(ack.group(6)), Long.parseLong(ack.group(3)), Long.parseLong(ack.group(5)),
                        Integer.parseInt(ack.group(7))));
            } else if (line.startsWith("ERR ")) {
                String[] f = line.split(" ", 3);
                t.errors.put(f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "");
            } else if (line.matches("DONE \\d+")) {
                t.done = true;
            } else {
                t.foreign.add(line);
                // Other output merged into the line: a SENT record inside it still counts as sent.
                Matcher inside = SENT.matcher(line);
                while (inside.find()) {
                    t.putSent(inside);
                }
            }
        }
        Matcher torn = SENT.matcher(tornTail);
        if (torn.find()) {
            t.putSent(torn);
            t.tornSent.add(torn.group(1));
        } else {
            Matcher id = TORN_SENT.matcher(tornTail);
            if (id.find()) {
                t.tornSent.add(id.group(1));
            }
        }
        return t;
    }

    private void putSent(Matcher m) {
        String id = m.group(1);
        // The workload's key is "k-<id>" or none ("-"); derived so that text merged after it cannot change it.
        String key = m.group(4).startsWith("k-" + id) ? "k-" + id : null;
        sent.putIfAbsent(id, new WorkloadEvents.Sent(id, m.group(2), Integer.parseInt(m.group(3)), key));
    }

    /** The lines (and torn tail) that mention {@code id}, at most {@code max}: evidence for a failure message. */
    List<String> linesMentioning(String id, int max) {
        Pattern word = Pattern.compile("(^|[^\\w-])" + Pattern.quote(id) + "($|[^\\w-])");
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            if (found.size() < max && word.matcher(line).find()) {
                found.add(line);
            }
        }
        if (found.size() < max && word.matcher(tornTail).find()) {
            found.add("(torn) " + tornTail);
        }
        return found;
    }

    long ackedEntries() {
        return acked.values().stream().mapToLong(AppendResult::count).sum();
    }
}
