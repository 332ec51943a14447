package io.eventlog.replication;

import io.eventlog.replication.Message.AppendRequest;
import io.eventlog.replication.Message.AppendResponse;
import io.eventlog.replication.Message.Heartbeat;
import io.eventlog.replication.Message.HeartbeatResponse;
import io.eventlog.replication.Message.ReadIndexRequest;
import io.eventlog.replication.Message.ReadIndexResponse;
import io.eventlog.replication.Message.SnapshotChunk;
import io.eventlog.replication.Message.SnapshotResponse;
import io.eventlog.replication.Message.TimeoutNow;
import io.eventlog.replication.Message.VoteRequest;
import io.eventlog.replication.Message.VoteResponse;
import io.eventlog.replication.ProposalRejectedException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One member of one Raft group, as a pure state machine: no threads, clock or I/O. The driver
 * feeds it {@link #tick()}s, {@link #step(Message) messages} and proposals, and collects what to
 * persist, send and apply with {@link #ready()}; it reports durability back with
 * {@link #advance(Ready)} (or {@link #persistedEntries}, {@link #persistedHardState},
 * {@link #persistedSnapshot}).
 *
 * <p>Persistence contract: this node never grants a vote, acknowledges entries or a snapshot to
 * the leader, counts its own vote or (as leader) its own entries before the driver reported the
 * hard state, entries or snapshot durable. Messages that must wait are held inside and leave in a
 * later {@link Ready}.
 *
 * <p>Not thread-safe: one thread drives a node. No static state: any number of groups per process.
 */
public final class RaftNode {

    private final RaftConfig cfg;
    private final long id;
    private final long group;
    private final RaftStorage storage;
    private final RaftLog log;
    private final ConfigHistory configs;

    private long term;
    private long vote;
    private HardState durable;
    private HardState emittedHardState;
    private Role role = Role.FOLLOWER;
    private long leader;
    private SoftState emittedSoftState;

    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;

    /** Votes received in the current (pre-)campaign, by voter. */
    private final Map<Long, Boolean> votes = new HashMap<>();

    // leader state
    private final Map<Long, Progress> progress = new HashMap<>();
    private long termStartIndex;
    private long transferee;
    private int transferElapsed;
    private long uncommittedBytes;
    private long readSeq;
    private final PendingReads reads = new PendingReads();

    // follower state
    private SnapshotReceiver receiving;

    // output
    private List<Message> outbox = new ArrayList<>();
    private final HeldMessages held = new HeldMessages();
    private List<ReadState> readStates = new ArrayList<>();
    private Snapshot snapshotToInstall;

    /** Starts (or restarts) a node from what {@code storage} holds. */
    public RaftNode(RaftConfig cfg, RaftStorage storage) {
        this.cfg = cfg;
        this.id = cfg.id();
        this.group = cfg.group();
        this.storage = storage;
        this.log = new RaftLog(storage, cfg.applied());
        this.configs = new ConfigHistory(storage.snapshotMeta());
        for (Entry e : storage.configEntries()) {
            configs.append(e);
        }
        HardState hs = storage.hardState();
        this.term = hs.term();
        this.vote = hs.vote();
        this.durable = hs;
        this.emittedHardState = hs;
        this.emittedSoftState = softState();
        resetTimers();
    }

    // ------------------------------------------------------------------ inputs

    /** Advances logical time by one tick. */
    public void tick() {
        if (role == Role.LEADER) {
            tickLeader();
            return;
        }
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            campaign(cfg.preVote(), false);
        }
    }

    /** Starts an election now (with a pre-vote if configured), if this node is a voter. */
    public void campaign() {
        if (role != Role.LEADER) {
            campaign(cfg.preVote(), false);
        }
    }

    /** Handles a message addressed to this node. */
    public void step(Message m) {
        if (m.group() != group || m.to() != id) {
            throw new IllegalArgumentException("message for group " + m.group() + " node " + m.to()
                    + " delivered to group " + group + " node " + id);
        }
        if (m.term() > term) {
            if (m instanceof VoteRequest v) {
                boolean inLease = cfg.checkQuorum() && leader != 0 && electionElapsed < cfg.electionTicks();
                if (inLease && !v.transfer()) {
                    return; // we hear from a leader: a disruptive or removed node cannot depose it
                }
                if (v.preVote()) {
                    handleVoteRequest(v);
                    return;
                }
                becomeFollower(m.term(), 0);
            } else if (m instanceof VoteResponse r && r.preVote() && r.granted()) {
                // a granted pre-vote names the term we would campaign in: no term change
            } else if (m instanceof AppendRequest || m instanceof Heartbeat || m instanceof SnapshotChunk) {
                becomeFollower(m.term(), m.from());
            } else {
                becomeFollower(m.term(), 0);
            }
        } else if (m.term() < term) {
            if (m instanceof AppendRequest || m instanceof Heartbeat) {
                // tell a stale leader about the newer term so that it steps down
                send(new AppendResponse(group, id, m.from(), term, false, 0, 0, 0));
            } else if (m instanceof VoteRequest v && v.preVote()) {
                send(new VoteResponse(group, id, m.from(), term, false, true));
            }
            return;
        }
        dispatch(m);
    }

    /** Proposes one entry; returns its index. */
    public long propose(byte[] payload) {
        return propose(List.of(payload));
    }

    /**
     * Appends client payloads to the leader's log as one batch; returns the index of the first
     * (the others follow contiguously). The entries leave for persisting and replication in the next
     * {@link Ready}.
     *
     * @throws ProposalRejectedException if not leader, transferring leadership, or over the
     *                                   uncommitted-bytes limit
     */
    public long propose(List<byte[]> payloads) {
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("empty proposal");
        }
        requireLeaderNotTransferring();
        long bytes = 0;
        for (byte[] p : payloads) {
            bytes += p.length;
        }
        if (cfg.maxUncommittedBytes() > 0 && uncommittedBytes > 0 && uncommittedBytes + bytes > cfg.maxUncommittedBytes()) {
            throw new ProposalRejectedException(Reason.TOO_MANY_UNCOMMITTED_BYTES, id,
                    uncommittedBytes + " bytes uncommitted");
        }
        long first = log.lastIndex() + 1;
        List<Entry> entries = new ArrayList<>(payloads.size());
        long index = first;
        for (byte[] p : payloads) {
            entries.add(Entry.normal(index++, term, p));
        }
        uncommittedBytes += bytes;
        appendAsLeader(entries);
        return first;
    }

    /**
     * Proposes a single-server membership change; returns the index of its CONFIG entry. The new
     * configuration takes effect on every node as soon as the entry is in its log (thesis §4.1).
     *
     * @throws ProposalRejectedException if not leader, another change is not committed yet, this
     *                                   leader has not committed an entry of its term, or the change
     *                                   is invalid (a learner to promote must have caught up with
     *                                   the commit index)
     */
    public long proposeConfChange(ConfChange change) {
        requireLeaderNotTransferring();
        if (log.committed() < termStartIndex || log.committed() < configs.currentIndex()) {
            throw new ProposalRejectedException(Reason.CONF_CHANGE_PENDING, id,
                    "commit " + log.committed() + " < " + Math.max(termStartIndex, configs.currentIndex()));
        }
        ClusterConfig next;
        try {
            next = configs.current().apply(change);
        } catch (IllegalArgumentException e) {
            throw new ProposalRejectedException(Reason.INVALID_CONF_CHANGE, id, e.getMessage());
        }
        if (change.type() == ConfChange.Type.PROMOTE) {
            Progress pr = progress.get(change.nodeId());
            if (pr == null || pr.match < log.committed()) {
                throw new ProposalRejectedException(Reason.INVALID_CONF_CHANGE, id,
                        "learner " + change.nodeId() + " has not caught up");
            }
        }
        long index = log.lastIndex() + 1;
        appendAsLeader(List.of(new Entry(index, term, EntryKind.CONFIG, next.encode())));
        return index;
    }

    /**
     * Asks for a linearizable read. When confirmed, a {@link ReadState} with this context appears in
     * a later Ready (on a follower, after a round trip to the leader). Returns false if no leader is
     * known; requests lost with a leader change are never answered, so the driver times them out.
     */
    public boolean readIndex(long context) {
        if (role == Role.LEADER) {
            handleReadRequest(id, context);
            return true;
        }
        if (leader != 0) {
            send(new ReadIndexRequest(group, id, leader, term, context));
            return true;
        }
        return false;
    }

    /**
     * Hands leadership to {@code target}: proposals are refused meanwhile; once the target's log
     * matches ours it is told to campaign. Abandoned after an election timeout.
     */
    public void transferLeadership(long target) {
        if (role != Role.LEADER) {
            throw new ProposalRejectedException(Reason.NOT_LEADER, leader, "");
        }
        if (target == id || target == transferee) {
            return;
        }
        if (!configs.current().isVoter(target)) {
            throw new IllegalArgumentException("node " + target + " is not a voter");
        }
        transferee = target;
        transferElapsed = 0;
        Progress pr = progress.get(target);
        if (pr.match == log.lastIndex()) {
            send(new TimeoutNow(group, id, target, term));
        } else {
            if (pr.state == Progress.State.REPLICATE) {
                pr.becomeProbe(); // resend from its match rather than wait for a lost pipeline to time out
            }
            sendAppend(pr, true);
        }
    }

    /**
     * The transport could not reach {@code peer} (connection refused or broken): messages in flight
     * to it are probably lost, so a leader goes back to probing it instead of streaming.
     */
    public void reportUnreachable(long peer) {
        Progress pr = role == Role.LEADER ? progress.get(peer) : null;
        if (pr != null && pr.state == Progress.State.REPLICATE) {
            pr.becomeProbe();
        }
    }

    /**
     * The driver learned that {@code peer}'s log is empty (it lost its data directory and restarted
     * with the same id). Raft assumes acknowledged entries stay durable, so the leader would take its
     * "no such entry" answers for stale ones and never send it anything again: the leader forgets
     * what the peer acknowledged and probes it from the start (a snapshot, if the log is compacted).
     * Nothing happens on a follower, or while a snapshot is being sent to the peer.
     */
    public void reportLogLost(long peer) {
        Progress pr = role == Role.LEADER && peer != id ? progress.get(peer) : null;
        if (pr == null || pr.match == 0 || pr.state == Progress.State.SNAPSHOT) {
            return;
        }
        pr.match = 0;
        pr.matchAtLastCheck = 0;
        pr.becomeProbe();
        sendAppend(pr, true);
    }

    // ------------------------------------------------------------------ persistence notices

    /** The driver made entries up to {@code (index, term)} durable. */
    public void persistedEntries(long index, long entryTerm) {
        if (log.stableTo(index, entryTerm)) {
            if (role == Role.LEADER) {
                maybeCommit();
            }
            releaseHeld();
        }
    }

    /** The driver made this hard state durable. */
    public void persistedHardState(HardState state) {
        durable = state;
        if (role == Role.CANDIDATE) {
            poll();
        }
        releaseHeld();
    }

    /** The driver made a snapshot from a {@link Ready} durable. */
    public void persistedSnapshot(SnapshotMeta meta) {
        if (log.snapshotPersisted(meta)) {
            releaseHeld();
        }
    }

    /** Everything {@code ready} asked to persist is durable. */
    public void advance(Ready ready) {
        if (ready.snapshot() != null) {
            persistedSnapshot(ready.snapshot().meta());
        }
        Entry last = ready.lastEntry();
        if (last != null) {
            persistedEntries(last.index(), last.term());
        }
        if (ready.hardState() != null) {
            persistedHardState(ready.hardState());
        }
    }

    /**
     * The metadata for a snapshot of the state machine at {@code index} (at most what was handed
     * out to apply): pass it with the snapshot's data to {@link RaftStorage#compact}.
     */
    public SnapshotMeta snapshotMeta(long index) {
        if (index > log.applied() || index > log.durableIndex() || index < storage.snapshotMeta().index()) {
            throw new IllegalArgumentException("cannot snapshot at " + index + ": applied " + log.applied()
                    + ", durable " + log.durableIndex() + ", snapshot " + storage.snapshotMeta().index());
        }
        return new SnapshotMeta(index, log.term(index), configs.at(index));
    }

    // ------------------------------------------------------------------ output

    public boolean hasReady() {
        return !outbox.isEmpty() || !readStates.isEmpty() || snapshotToInstall != null || log.hasUnpersisted()
                || log.hasCommittedToApply() || !hardState().equals(emittedHardState)
                || !softState().equals(emittedSoftState);
    }

    /** Collects everything to do since the last call; see {@link Ready} for what the driver does with it. */
    public Ready ready() {
        SoftState soft = softState();
        SoftState softOut = null;
        if (!soft.equals(emittedSoftState)) {
            softOut = soft;
            emittedSoftState = soft;
        }
        HardState hard = hardState();
        HardState hardOut = null;
        if (!hard.equals(emittedHardState)) {
            hardOut = hard;
            emittedHardState = hard;
        }
        Snapshot snapshot = snapshotToInstall;
        snapshotToInstall = null;
        List<Entry> entries = log.takeUnpersisted();
        List<Entry> committed = log.takeCommitted(cfg.maxApplyBytes());
        if (role == Role.LEADER && uncommittedBytes > 0) {
            for (Entry e : committed) {
                uncommittedBytes -= e.payload().length;
            }
            uncommittedBytes = Math.max(0, uncommittedBytes);
        }
        List<Message> messages = outbox;
        outbox = new ArrayList<>();
        List<ReadState> rs = readStates;
        if (!rs.isEmpty()) {
            readStates = new ArrayList<>();
        }
        return new Ready(softOut, hardOut, snapshot, entries, messages, committed, rs);
    }

    // ------------------------------------------------------------------ introspection

    public long id() {
        return id;
    }

    public long group() {
        return group;
    }

    public Role role() {
        return role;
    }

    /** The known leader, 0 if none. */
    public long leader() {
        return leader;
    }

    public long term() {
        return term;
    }

    public long commitIndex() {
        return log.committed();
    }

    /** The last index handed out to apply. */
    public long appliedIndex() {
        return log.applied();
    }

    public long firstIndex() {
        return log.firstIndex();
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** The term of the entry at {@code index} in this node's log (durable or not), -1 if unknown. */
    public long termAt(long index) {
        return log.term(index);
    }

    /** The membership in force on this node (the latest in its log). */
    public ClusterConfig config() {
        return configs.current();
    }

    public HardState hardState() {
        return new HardState(term, vote);
    }

    public SoftState softState() {
        return new SoftState(role, leader, term);
    }

    /**
     * The highest index known to be replicated on {@code peer} (this node's durable index for itself),
     * known on the leader only: -1 on any other role or for a node that is not a member.
     */
    public long matchIndex(long peer) {
        Progress pr = role == Role.LEADER ? progress.get(peer) : null;
        return pr == null ? -1 : pr.match;
    }

    /** The node leadership is being transferred to, 0 if none. */
    public long transferee() {
        return transferee;
    }

    @Override
    public String toString() {
        return "RaftNode[" + id + " " + role + " term=" + term + " leader=" + leader + " commit=" + log.committed()
                + " last=" + log.lastIndex() + "]";
    }

    // ------------------------------------------------------------------ dispatch

    private void dispatch(Message m) {
        if (m instanceof AppendRequest a) {
            followLeader(a.from());
            handleAppend(a);
        } else if (m instanceof Heartbeat h) {
            followLeader(h.from());
            handleHeartbeat(h);
        } else if (m instanceof SnapshotChunk c) {
            followLeader(c.from());
            handleSnapshotChunk(c);
        } else if (m instanceof VoteRequest v) {
            handleVoteRequest(v);
        } else if (m instanceof VoteResponse r) {
            handleVoteResponse(r);
        } else if (m instanceof AppendResponse r) {
            Progress pr = leaderProgress(r.from());
            if (pr != null) {
                handleAppendResponse(pr, r);
            }
        } else if (m instanceof HeartbeatResponse r) {
            Progress pr = leaderProgress(r.from());
            if (pr != null) {
                handleHeartbeatResponse(pr, r);
            }
        } else if (m instanceof SnapshotResponse r) {
            Progress pr = leaderProgress(r.from());
            if (pr != null) {
                handleSnapshotResponse(pr, r);
            }
        } else if (m instanceof TimeoutNow) {
            if (role != Role.LEADER && promotable()) {
                campaign(false, true);
            }
        } else if (m instanceof ReadIndexRequest r) {
            if (role == Role.LEADER) {
                handleReadRequest(r.from(), r.context());
            }
        } else if (m instanceof ReadIndexResponse r) {
            if (role != Role.LEADER) {
                readStates.add(new ReadState(r.context(), r.index()));
            }
        }
    }

    private Progress leaderProgress(long from) {
        if (role != Role.LEADER) {
            return null;
        }
        Progress pr = progress.get(from);
        if (pr != null) {
            pr.recentActive = true;
        }
        return pr;
    }

    /** A leader of our term spoke: follow it. */
    private void followLeader(long from) {
        if (role == Role.LEADER) {
            throw new IllegalStateException("node " + id + ": two leaders in term " + term + " (" + from + ")");
        }
        if (role != Role.FOLLOWER) {
            becomeFollower(term, from);
        }
        leader = from;
        electionElapsed = 0;
    }

    // ------------------------------------------------------------------ elections

    private boolean promotable() {
        return configs.current().isVoter(id) && !log.hasPendingSnapshot();
    }

    private void campaign(boolean preVote, boolean transfer) {
        if (!promotable()) {
            return;
        }
        long voteTerm;
        if (preVote) {
            becomePreCandidate();
            voteTerm = term + 1;
        } else {
            becomeCandidate();
            voteTerm = term;
        }
        for (long voter : configs.voters()) {
            if (voter != id) {
                send(new VoteRequest(group, id, voter, voteTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
            }
        }
        poll();
    }

    private void handleVoteRequest(VoteRequest v) {
        boolean canVote = vote == v.from() || (vote == 0 && leader == 0) || (v.preVote() && v.term() > term);
        if (canVote && log.isUpToDate(v.lastIndex(), v.lastTerm())) {
            if (v.preVote()) {
                send(new VoteResponse(group, id, v.from(), v.term(), true, true));
            } else {
                electionElapsed = 0;
                vote = v.from();
                held.holdVote(new VoteResponse(group, id, v.from(), term, true, false));
                releaseHeld();
            }
        } else {
            send(new VoteResponse(group, id, v.from(), term, false, v.preVote()));
        }
    }

    private void handleVoteResponse(VoteResponse r) {
        boolean mine = (role == Role.PRE_CANDIDATE && r.preVote()) || (role == Role.CANDIDATE && !r.preVote());
        if (mine && configs.current().isVoter(r.from())) {
            votes.put(r.from(), r.granted());
            poll();
        }
    }

    /** Counts the votes of the current campaign and wins or loses it if decided. */
    private void poll() {
        if (role != Role.PRE_CANDIDATE && role != Role.CANDIDATE) {
            return;
        }
        ClusterConfig config = configs.current();
        int granted = 0;
        int rejected = 0;
        for (long voter : configs.voters()) {
            if (voter == id) {
                // our own vote counts once durable: a crash must not let us vote again in this term
                boolean selfVote = role == Role.PRE_CANDIDATE || (durable.term() == term && durable.vote() == id);
                granted += selfVote ? 1 : 0;
                continue;
            }
            Boolean v = votes.get(voter);
            if (v != null) {
                if (v) {
                    granted++;
                } else {
                    rejected++;
                }
            }
        }
        if (granted >= config.quorum()) {
            if (role == Role.PRE_CANDIDATE) {
                campaign(false, false);
            } else {
                becomeLeader();
            }
        } else if (rejected >= config.quorum()) {
            becomeFollower(term, 0);
        }
    }

    private void becomeFollower(long newTerm, long newLeader) {
        if (newTerm != term) {
            term = newTerm;
            vote = 0;
            held.clear();
        }
        role = Role.FOLLOWER;
        leader = newLeader;
        resetTimers();
        clearLeaderState();
    }

    private void becomePreCandidate() {
        role = Role.PRE_CANDIDATE;
        leader = 0;
        votes.clear();
        resetTimers();
        clearLeaderState();
    }

    private void becomeCandidate() {
        term++;
        vote = id;
        held.clear();
        role = Role.CANDIDATE;
        leader = 0;
        votes.clear();
        resetTimers();
        clearLeaderState();
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leader = id;
        resetTimers();
        clearLeaderState();
        long next = log.lastIndex() + 1;
        for (long member : configs.current().members()) {
            if (member != id) {
                progress.put(member, newProgress(member, next));
            }
        }
        termStartIndex = next;
        appendAsLeader(List.of(Entry.noop(next, term)));
    }

    private Progress newProgress(long member, long next) {
        return new Progress(member, next, cfg.maxInflightMessages(), cfg.maxInflightBytes());
    }

    private void clearLeaderState() {
        progress.clear();
        reads.clear();
        transferee = 0;
        transferElapsed = 0;
        uncommittedBytes = 0;
        readSeq = 0;
    }

    private void resetTimers() {
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = cfg.electionTicks() + cfg.random().nextInt(cfg.electionTicks());
    }

    // ------------------------------------------------------------------ leader

    private void tickLeader() {
        heartbeatElapsed++;
        electionElapsed++;
        if (transferee != 0 && ++transferElapsed >= cfg.electionTicks()) {
            transferee = 0;
            transferElapsed = 0;
        }
        if (electionElapsed >= cfg.electionTicks()) {
            electionElapsed = 0;
            if (cfg.checkQuorum() && !quorumActive()) {
                becomeFollower(term, 0);
                return;
            }
            for (Progress pr : progress.values()) {
                pr.recentActive = false;
                if (pr.state == Progress.State.REPLICATE && pr.inflights.count() > 0 && pr.match == pr.matchAtLastCheck) {
                    pr.becomeProbe(); // a whole interval without an ack: the pipeline lost messages
                }
                pr.matchAtLastCheck = pr.match;
            }
        }
        if (heartbeatElapsed >= cfg.heartbeatTicks()) {
            heartbeatElapsed = 0;
            broadcastHeartbeat();
        }
    }

    private boolean quorumActive() {
        ClusterConfig config = configs.current();
        int active = 0;
        for (long voter : configs.voters()) {
            Progress pr = progress.get(voter);
            if (voter == id || (pr != null && pr.recentActive)) {
                active++;
            }
        }
        return active >= config.quorum();
    }

    private void requireLeaderNotTransferring() {
        if (role != Role.LEADER) {
            throw new ProposalRejectedException(Reason.NOT_LEADER, leader, "");
        }
        if (transferee != 0) {
            throw new ProposalRejectedException(Reason.TRANSFER_IN_PROGRESS, transferee, "");
        }
    }

    private void appendAsLeader(List<Entry> entries) {
        log.append(entries);
        boolean configChanged = false;
        for (Entry e : entries) {
            if (e.kind() == EntryKind.CONFIG) {
                configs.append(e);
                configChanged = true;
            }
        }
        if (configChanged) {
            onLeaderConfigChange();
        }
        for (Progress pr : progress.values()) {
            sendAppends(pr);
        }
        maybeCommit();
    }

    /** The leader's configuration changed: track the new members, forget removed ones. */
    private void onLeaderConfigChange() {
        ClusterConfig config = configs.current();
        for (long member : config.members()) {
            if (member != id && !progress.containsKey(member)) {
                progress.put(member, newProgress(member, log.lastIndex()));
            }
        }
        progress.keySet().removeIf(member -> !config.contains(member));
        if (transferee != 0 && !config.isVoter(transferee)) {
            transferee = 0;
        }
    }

    /** Sends as many AppendRequests as the follower's flow control allows. */
    private void sendAppends(Progress pr) {
        while (sendAppend(pr, false)) {
            if (pr.state != Progress.State.REPLICATE) {
                return;
            }
        }
    }

    /** Sends one AppendRequest (or starts a snapshot) to {@code pr}; returns whether anything was sent. */
    private boolean sendAppend(Progress pr, boolean sendIfEmpty) {
        if (pr.isPaused()) {
            return false;
        }
        long prevIndex = pr.next - 1;
        long prevTerm = log.term(prevIndex);
        List<Entry> entries = prevTerm == RaftLog.UNKNOWN ? null
                : log.entries(pr.next, log.lastIndex() + 1, cfg.maxMessageBytes());
        if (entries == null) {
            pr.becomeSnapshot(storage.snapshotMeta().index());
            sendSnapshotChunk(pr);
            return true;
        }
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        send(new AppendRequest(group, id, pr.id, term, prevIndex, prevTerm, entries, log.committed()));
        if (entries.isEmpty()) {
            pr.probeSent = pr.state == Progress.State.PROBE;
        } else {
            long bytes = 0;
            for (Entry e : entries) {
                bytes += e.sizeInBytes();
            }
            pr.sentEntries(entries.get(entries.size() - 1).index(), bytes);
        }
        return true;
    }

    private void sendSnapshotChunk(Progress pr) {
        SnapshotMeta meta = storage.snapshotMeta();
        if (meta.index() != pr.snapshotIndex) {
            pr.snapshotIndex = meta.index();
            pr.snapshotOffset = 0;
        }
        byte[] chunk = storage.snapshotChunk(pr.snapshotOffset, cfg.snapshotChunkBytes());
        boolean last = pr.snapshotOffset + chunk.length >= storage.snapshotSize();
        send(new SnapshotChunk(group, id, pr.id, term, meta, pr.snapshotOffset, chunk, last));
    }

    private void broadcastHeartbeat() {
        for (Progress pr : progress.values()) {
            send(new Heartbeat(group, id, pr.id, term, Math.min(pr.match, log.committed()), readSeq));
        }
    }

    private void handleAppendResponse(Progress pr, AppendResponse r) {
        if (!r.success()) {
            if (rejectionMovesNext(pr, r)) {
                sendAppend(pr, true);
            }
            return;
        }
        boolean probeAcked = pr.state == Progress.State.PROBE && r.index() == pr.match;
        if (!pr.maybeUpdate(r.index()) && !probeAcked) {
            return;
        }
        switch (pr.state) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                if (pr.match + 1 >= log.firstIndex()) {
                    pr.becomeProbe();
                }
            }
            case REPLICATE -> pr.inflights.freeUpTo(r.index());
        }
        if (!maybeCommit()) {
            sendAppends(pr);
        }
        if (pr.id == transferee && pr.match == log.lastIndex()) {
            send(new TimeoutNow(group, id, pr.id, term));
        }
    }

    /**
     * A follower rejected an AppendRequest. Uses its hint (the term it holds at prevIndex and that
     * term's first index) to skip whole terms at once. Returns false for a stale rejection.
     */
    private boolean rejectionMovesNext(Progress pr, AppendResponse r) {
        switch (pr.state) {
            case REPLICATE -> {
                if (r.index() <= pr.match) {
                    return false;
                }
            }
            case PROBE -> {
                if (r.index() != pr.next - 1) {
                    return false;
                }
            }
            case SNAPSHOT -> {
                return false;
            }
        }
        long next = r.hintIndex();
        if (r.hintTerm() != 0) {
            long i = Math.min(r.index(), log.lastIndex());
            while (i > pr.match) {
                long t = log.term(i);
                if (t == RaftLog.UNKNOWN || t <= r.hintTerm()) {
                    break;
                }
                i--;
            }
            if (log.term(i) == r.hintTerm()) {
                next = i + 1;
            }
        }
        pr.becomeProbe();
        pr.next = Math.max(Math.min(next, r.index()), pr.match + 1);
        return true;
    }

    private void handleHeartbeatResponse(Progress pr, HeartbeatResponse r) {
        if (r.readSeq() > pr.readAck) {
            pr.readAck = r.readSeq();
            confirmReads();
        }
        switch (pr.state) {
            case SNAPSHOT -> sendSnapshotChunk(pr); // resend: the last chunk or its answer may be lost
            case PROBE -> {
                pr.probeSent = false;
                sendAppend(pr, true);
            }
            case REPLICATE -> {
                if (pr.match < log.lastIndex()) {
                    // an empty append at next - 1 finds out whether the pipeline lost messages
                    long prev = pr.next - 1;
                    send(new AppendRequest(group, id, pr.id, term, prev, log.term(prev), List.of(), log.committed()));
                }
            }
        }
    }

    private void handleSnapshotResponse(Progress pr, SnapshotResponse r) {
        switch (r.outcome()) {
            case INSTALLED -> {
                pr.match = Math.max(pr.match, r.snapshotIndex());
                if (pr.state == Progress.State.SNAPSHOT) {
                    pr.becomeProbe();
                }
                if (!maybeCommit()) {
                    sendAppend(pr, true);
                }
            }
            case SKIPPED -> {
                if (pr.state == Progress.State.SNAPSHOT && r.snapshotIndex() == pr.snapshotIndex) {
                    pr.becomeProbe();
                    sendAppend(pr, true);
                }
            }
            case CONTINUE -> {
                if (pr.state == Progress.State.SNAPSHOT && r.snapshotIndex() == pr.snapshotIndex) {
                    pr.snapshotOffset = r.nextOffset();
                    sendSnapshotChunk(pr);
                }
            }
        }
    }

    /**
     * Advances the commit index to the highest index durable on a quorum of voters, but only if it
     * is an entry of the current term (Raft §5.4.2). Returns true if it moved.
     */
    private boolean maybeCommit() {
        ClusterConfig config = configs.current();
        long[] voters = configs.voters();
        long[] matches = new long[voters.length];
        for (int i = 0; i < voters.length; i++) {
            if (voters[i] == id) {
                matches[i] = log.durableIndex();
            } else {
                Progress pr = progress.get(voters[i]);
                matches[i] = pr == null ? 0 : pr.match;
            }
        }
        Arrays.sort(matches);
        long quorumIndex = matches[matches.length - config.quorum()];
        if (quorumIndex <= log.committed() || log.term(quorumIndex) != term) {
            return false;
        }
        log.commitTo(quorumIndex);
        for (Progress pr : progress.values()) {
            sendAppend(pr, true);
            sendAppends(pr);
        }
        for (long[] deferred : reads.takeDeferred()) {
            handleReadRequest(deferred[0], deferred[1]);
        }
        if (configs.currentIndex() <= log.committed() && !config.isVoter(id)) {
            becomeFollower(term, 0); // our removal is committed: step down
        }
        return true;
    }

    // ------------------------------------------------------------------ reads

    private void handleReadRequest(long origin, long context) {
        if (log.term(log.committed()) != term) {
            reads.deferUntilCommit(origin, context); // the commit index is not known to be current yet
            return;
        }
        ClusterConfig config = configs.current();
        if (config.voters().size() == 1 && config.isVoter(id)) {
            deliverRead(origin, context, log.committed());
            return;
        }
        readSeq++;
        reads.add(new PendingReads.Read(origin, context, log.committed(), readSeq));
        broadcastHeartbeat();
        confirmReads();
    }

    private void confirmReads() {
        if (reads.isEmpty()) {
            return;
        }
        ClusterConfig config = configs.current();
        long[] voters = configs.voters();
        long[] acks = new long[voters.length];
        for (int i = 0; i < voters.length; i++) {
            Progress pr = progress.get(voters[i]);
            acks[i] = voters[i] == id ? readSeq : pr == null ? 0 : pr.readAck;
        }
        Arrays.sort(acks);
        for (PendingReads.Read read : reads.confirm(acks[acks.length - config.quorum()])) {
            deliverRead(read.origin(), read.context(), read.index());
        }
    }

    private void deliverRead(long origin, long context, long index) {
        if (origin == id) {
            readStates.add(new ReadState(context, index));
        } else {
            send(new ReadIndexResponse(group, id, origin, term, context, index));
        }
    }

    // ------------------------------------------------------------------ follower

    private void handleAppend(AppendRequest m) {
        long prevIndex = m.prevIndex();
        long prevTerm = m.prevTerm();
        List<Entry> entries = m.entries();
        long committed = log.committed();
        if (prevIndex < committed) {
            // entries up to our commit index match the leader's: skip them
            int skip = (int) Math.min(committed - prevIndex, entries.size());
            if (skip == entries.size()) {
                ackAppend(m.from(), committed);
                return;
            }
            prevIndex = committed;
            prevTerm = entries.get(skip - 1).term();
            entries = entries.subList(skip, entries.size());
        }
        if (!log.matchTerm(prevIndex, prevTerm)) {
            long[] hint = log.conflictHint(prevIndex);
            send(new AppendResponse(group, id, m.from(), term, false, m.prevIndex(), hint[0], hint[1]));
            return;
        }
        long lastNew = prevIndex + entries.size();
        long conflict = log.findConflict(entries);
        if (conflict != 0) {
            List<Entry> tail = entries.subList((int) (conflict - prevIndex - 1), entries.size());
            configs.truncateFrom(conflict);
            log.truncateAndAppend(tail);
            for (Entry e : tail) {
                configs.append(e);
            }
        }
        log.commitTo(Math.min(m.commit(), lastNew));
        ackAppend(m.from(), lastNew);
    }

    /** Acknowledges entries up to {@code index} to the leader once they are durable here. */
    private void ackAppend(long to, long index) {
        AppendResponse ack = new AppendResponse(group, id, to, term, true, index, 0, 0);
        if (log.durableIndex() >= index) {
            send(ack);
        } else {
            held.holdAck(ack, log.term(index));
            releaseHeld();
        }
    }

    private void handleHeartbeat(Heartbeat h) {
        log.commitTo(Math.min(h.commit(), log.lastIndex()));
        send(new HeartbeatResponse(group, id, h.from(), term, h.readSeq()));
    }

    private void handleSnapshotChunk(SnapshotChunk c) {
        SnapshotMeta meta = c.meta();
        boolean matches = log.matchTerm(meta.index(), meta.term());
        if (meta.index() <= log.committed() || matches) {
            if (matches) {
                log.commitTo(meta.index());
            }
            receiving = null;
            send(new SnapshotResponse(group, id, c.from(), term, meta.index(), 0, SnapshotResponse.Outcome.SKIPPED));
            return;
        }
        if (c.offset() == 0) {
            receiving = new SnapshotReceiver(meta);
        }
        boolean sameSnapshot = receiving != null && receiving.meta.equals(meta);
        if (!sameSnapshot || c.offset() != receiving.size()) {
            long expected = sameSnapshot ? receiving.size() : 0;
            send(new SnapshotResponse(group, id, c.from(), term, meta.index(), expected,
                    SnapshotResponse.Outcome.CONTINUE));
            return;
        }
        receiving.add(c.data());
        if (!c.last()) {
            send(new SnapshotResponse(group, id, c.from(), term, meta.index(), receiving.size(),
                    SnapshotResponse.Outcome.CONTINUE));
            return;
        }
        snapshotToInstall = new Snapshot(meta, receiving.data());
        receiving = null;
        log.restore(meta);
        configs.reset(meta);
        held.holdSnapshotDone(new SnapshotResponse(group, id, c.from(), term, meta.index(), 0,
                SnapshotResponse.Outcome.INSTALLED));
        releaseHeld();
    }

    // ------------------------------------------------------------------ held messages

    private void send(Message m) {
        outbox.add(m);
    }

    /** Sends the held messages whose promise is now durable (see {@link HeldMessages}). */
    private void releaseHeld() {
        held.release(log, durable, outbox);
    }
}
