package io.eventlog.server.recovery;

import io.eventlog.api.AppendOptions;
import io.eventlog.api.Entry;
import io.eventlog.api.EventData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The events of the crash workload are a pure function of (append id, index in the batch), so that the
 * verifier can tell exactly what every stored entry must contain, and which append it belongs to,
 * without the child having to report the data.
 */
final class WorkloadEvents {
    private static final Pattern ID = Pattern.compile("^\\{\"id\":\"([^\"]+)\",\"i\":(\\d+),");

    /** One append the child sent (SENT line). */
    record Sent(String id, String stream, int count, String key) {
        List<EventData> events() {
            return WorkloadEvents.events(id, count);
        }

        AppendOptions options() {
            return key == null ? AppendOptions.DEFAULT : AppendOptions.DEFAULT.withIdempotencyKey(key);
        }
    }

    /** Which append (id) and which event of it (index) an entry is. */
    record EntryId(String id, int index) {
    }

    private WorkloadEvents() {
    }

    static List<EventData> events(String id, int count) {
        List<EventData> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(id, i));
        }
        return events;
    }

    static EventData event(String id, int index) {
        int h = (id.hashCode() * 31 + index) & 0x7fffffff;
        String data = "{\"id\":\"" + id + "\",\"i\":" + index + ",\"pad\":\"" + "x".repeat(h % 48) + "\"}";
        String type = h % 3 == 0 ? null : "Type" + (h % 5);
        Map<String, String> headers = h % 4 == 0 ? Map.of("trace", id + "/" + index) : Map.of();
        return new EventData(type, headers, data.getBytes(StandardCharsets.UTF_8));
    }

    /** The append id and index an entry's data names, or null for data the workload never writes. */
    static EntryId idOf(Entry entry) {
        Matcher m = ID.matcher(entry.dataAsString());
        return m.find() ? new EntryId(m.group(1), Integer.parseInt(m.group(2))) : null;
    }

    /** Whether an entry holds exactly the event the workload sends for its id and index. */
    static boolean matches(Entry entry, EntryId id) {
        EventData expected = event(id.id(), id.index());
        return java.util.Objects.equals(expected.type(), entry.type()) && expected.headers().equals(entry.headers())
                && java.util.Arrays.equals(expected.data(), entry.data());
    }
}
