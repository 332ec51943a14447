package io.eventlog.server.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlog.api.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A test projection's state: the running balance per account (stream) and how many of its entries were
 * folded. The fold checks each entry's version against that count, so an entry folded twice or skipped
 * stops the projection at once; the balances show it too.
 */
public record Balances(Map<String, Long> balances, Map<String, Long> folded) {
    public static final Balances EMPTY = new Balances(Map.of(), Map.of());
    /** The balances of every account, the projection most tests run. */
    public static final Projection<Balances> OF_ACCOUNTS = projection("balances", Ledger.ACCOUNTS);
    private static final ObjectMapper JSON = new ObjectMapper();

    public Balances apply(Entry entry) {
        long expected = folded.getOrDefault(entry.stream(), 0L);
        if (entry.version() != expected) {
            throw new IllegalStateException("entry " + entry.offset() + " is version " + entry.version() + " of "
                    + entry.stream() + ", the fold expected version " + expected);
        }
        long amount = amountOf(entry);
        long delta = "Withdrawn".equals(entry.type()) ? -amount : amount;
        return new Balances(plus(balances, entry.stream(), delta), plus(folded, entry.stream(), 1));
    }

    public static Projection<Balances> projection(String name, EntrySelection selection) {
        return projection(name, selection, Balances::apply);
    }

    /** The same projection with another fold (one that also does what a test needs, such as crashing). */
    static Projection<Balances> projection(String name, EntrySelection selection, ProjectionFold<Balances> fold) {
        return Projection.of(name, EMPTY, fold, JacksonStateCodec.of(Balances.class)).selecting(selection);
    }

    /** The reference: one fold over every selected entry of the log, from the initial state. */
    public static Balances fullFold(List<Entry> log, EntrySelection selection) {
        Balances state = EMPTY;
        for (Entry entry : log) {
            if (selection.includes(entry)) {
                state = state.apply(entry);
            }
        }
        return state;
    }

    static long amountOf(Entry entry) {
        try {
            return JSON.readTree(entry.data()).get("amount").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Long> plus(Map<String, Long> map, String key, long delta) {
        Map<String, Long> copy = new HashMap<>(map);
        copy.merge(key, delta, Long::sum);
        return Map.copyOf(copy);
    }
}
