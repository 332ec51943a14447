package io.eventlog.server.testing.history;

import io.eventlog.server.testing.history.Op.Phase;
import io.eventlog.server.testing.history.Op.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A history arranged for the checks: append attempts by payload, final reads, subscriptions. */
final class HistoryIndex {

    /** One attempt to append a payload: its invoke and its completion (null if it never completed). */
    record Attempt(Op invoke, Op completion) {
        /** OK, FAIL, or INFO (also for an attempt that never completed: it may have happened). */
        Phase outcome() {
            return completion == null ? Phase.INFO : completion.phase();
        }
    }

    /** An entry that an op saw: a final read, or a subscription's delivery. */
    record Observation(EntryRef entry, Op source) {
    }

    private final int ops;
    private final Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
    private final List<Op> finalReads = new ArrayList<>();
    private final List<Op> deliveries = new ArrayList<>();
    private final Map<String, List<Op>> subscriptions = new LinkedHashMap<>();

    HistoryIndex(List<Op> history) {
        this.ops = history.size();
        Map<Long, Op> completions = new HashMap<>();
        for (Op op : history) {
            if ((op.type() == Type.APPEND || op.type() == Type.READ_LOG) && op.phase() != Phase.INVOKE) {
                completions.putIfAbsent(op.invoke(), op);
            }
        }
        for (Op op : history) {
            if (op.is(Type.APPEND, Phase.INVOKE)) {
                attempts.computeIfAbsent(op.payload(), p -> new ArrayList<>())
                        .add(new Attempt(op, completions.get(op.index())));
            } else if (op.is(Type.READ_LOG, Phase.OK)) {
                finalReads.add(op);
            } else if (op.type() == Type.SUBSCRIBE && op.phase() != Phase.INFO && op.phase() != Phase.FAIL) {
                subscriptions.computeIfAbsent(op.subscription(), s -> new ArrayList<>()).add(op);
                if (op.phase() == Phase.OK) {
                    deliveries.add(op);
                }
            }
        }
    }

    int opCount() {
        return ops;
    }

    /** Every attempt to append each payload, in the order of the history. */
    Map<String, List<Attempt>> attempts() {
        return attempts;
    }

    /** The acknowledgements (APPEND ok) of all attempts. */
    List<Op> acknowledgements() {
        return attempts.values().stream().flatMap(List::stream).map(Attempt::completion)
                .filter(c -> c != null && c.phase() == Phase.OK).toList();
    }

    /** The READ_LOG ok ops: each holds a whole log, read after the faults were healed. */
    List<Op> finalReads() {
        return finalReads;
    }

    /** The SUBSCRIBE ok ops: one delivered entry each. */
    List<Op> deliveries() {
        return deliveries;
    }

    /** Per subscription id: its invokes (start, resumes) and deliveries, in order. */
    Map<String, List<Op>> subscriptions() {
        return subscriptions;
    }

    /** Every entry of every final read, then every delivered entry. */
    List<Observation> observations() {
        List<Observation> seen = new ArrayList<>();
        for (Op read : finalReads) {
            read.entries().forEach(e -> seen.add(new Observation(e, read)));
        }
        deliveries.forEach(d -> seen.add(new Observation(d.deliveredEntry(), d)));
        return seen;
    }

    /** Where a final read came from, for messages. */
    static String readName(Op read) {
        return "the final read of " + read.node() + " (op " + read.index() + ")";
    }
}
