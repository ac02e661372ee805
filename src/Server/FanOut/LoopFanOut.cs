using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;
using Edge.Ingest.Prices;
using Edge.Ingest.Ring;
using Edge.Ingest.Symbols;
using Edge.Protocol.Client;
using Edge.Protocol.SocketIo;
using Edge.Server.Metrics;
using Edge.Server.Transport;

namespace Edge.Server.FanOut;

/// <summary>
/// The fan-out of one event loop: a ring consumer that runs on the loop that owns its channels. The frame
/// stage wakes it (at most one pending drain; wakes merge while it waits); a drain walks the new ring events,
/// keeps the loop's latest price per symbol, and corks each subscriber's frames so every touched channel gets
/// one write and one flush. Rate-limited and slow subscribers are conflated: the latest price is held and sent
/// when allowed, so the final value always arrives. Everything here runs on the loop thread, except
/// <see cref="Wake"/>.
/// </summary>
public sealed class LoopFanOut : IRunnable
{
    private readonly RingBuffer<PriceSlot> _ring;
    private readonly FrameStage _stage;
    private readonly EncodedPriceRing _frames;
    private readonly NameTable _symbols;
    private readonly NameTable _sources;
    private readonly FanOutOptions _options;
    private readonly ISlowConsumerCloser _closer;
    private readonly FanOutCounters _counters;
    private readonly PriceFrameEncoder _encoder = new();
    private readonly List<FanOutSession> _sessions = [];
    private readonly List<FanOutSession> _touched = [];
    private readonly List<FanOutSession> _unwritable = [];
    private readonly List<Subscription> _pending = [];
    private readonly Action<object> _tick;
    private readonly long _slowConsumerTimeoutTicks;
    private LatestPrice?[] _latest = new LatestPrice?[256];
    private SubscriberSet?[] _bySymbol = new SubscriberSet?[256];
    private int _scheduled;
    private bool _tickScheduled;
    private readonly ErrorLog? _errors;
    private readonly TimeProvider _clock;

    public LoopFanOut(
        IEventLoop loop,
        RingBuffer<PriceSlot> ring,
        FrameStage stage,
        EncodedPriceRing frames,
        NameTable symbols,
        NameTable sources,
        FanOutOptions options,
        ISlowConsumerCloser closer,
        FanOutCounters counters,
        ErrorLog? errors = null,
        TimeProvider? clock = null)
    {
        Loop = loop;
        _ring = ring;
        _stage = stage;
        _frames = frames;
        _symbols = symbols;
        _sources = sources;
        _options = options;
        _closer = closer;
        _counters = counters;
        _errors = errors;
        // Every time the fan-out reads (rate limits, slow-consumer timing, latency) comes from this clock, so its
        // timing can be driven by hand in tests; Edge passes the system clock (Stopwatch ticks).
        _clock = clock ?? TimeProvider.System;
        _tick = static state => ((LoopFanOut)state).Tick();
        _slowConsumerTimeoutTicks = options.SlowConsumerTimeoutSeconds * _clock.TimestampFrequency;
    }

    public IEventLoop Loop { get; }

    /// <summary>The last ring sequence this loop has fanned out; it gates the ring's producer.</summary>
    public Sequence Consumed { get; } = new();

    public int SessionCount => _sessions.Count;

    /// <summary>The loop's registered sessions; read it only on the loop thread (shutdown drain, operator notices).</summary>
    public IReadOnlyList<FanOutSession> Sessions => _sessions;

    public FanOutCounters Counters => _counters;

    /// <summary>Asks for a drain on the loop; called by the frame stage's thread at the end of each batch.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            Loop.Execute(this);
        }
    }

    /// <summary>The drain, on the loop thread.</summary>
    public void Run()
    {
        if (Drain())
        {
            // Leave room for the loop's reads and writes, then carry on.
            Wake();
        }
    }

    /// <summary>
    /// One drain (at most <see cref="FanOutOptions.MaxEventsPerDrain"/> events), on the loop thread; true when more
    /// events are waiting. The receive duty on this loop calls it directly after each receive batch.
    /// </summary>
    public bool Drain()
    {
        // Clear the flag before reading the stage's position: a batch published after the read wakes us again. A full
        // fence (not a release store): the read of Encoded below must not move above the clear, or a batch published
        // in between finds the flag still set, skips its wake-up, and waits for the next price.
        Interlocked.Exchange(ref _scheduled, 0);
        var available = _stage.Encoded.Value;
        var next = Consumed.Value + 1;
        if (available < next)
        {
            return false;
        }

        var last = Math.Min(available, next + _options.MaxEventsPerDrain - 1);
        var now = _clock.GetTimestamp();
        // Read before Consumed moves past the slot (the producer may then reuse it).
        var oldestReceivedAt = _ring[next].ReceivedAt;
        for (var sequence = next; sequence <= last; sequence++)
        {
            try
            {
                ref var slot = ref _ring[sequence];
                PrefetchEventsAhead(sequence, last);

                if (slot.Kind == PriceSlotKind.Price)
                {
                    OnPrice(ref slot, sequence, now);
                }
                else
                {
                    OnStatus(sequence);
                }
            }
            catch (Exception e)
            {
                // A bug hit by one event must not stall this loop's consumer (and, through the full ring, ingest):
                // count it, skip the event, carry on. The counter is exported per loop; the error log says what it was.
                _counters.CountException();
                _errors?.Record("fan-out", e);
            }
        }

        _counters.CountDrain(last - next + 1);
        FlushTouched();
        // Only now: the corks sent frames from the ring's cells by reference, which the producer may reuse once
        // Consumed moves past them.
        Consumed.SetValue(last);
        _counters.RecordIngestToWritten(_clock.GetTimestamp() - oldestReceivedAt);
        return last < available;
    }

    /// <summary>True when the frame stage has published events this loop has not drained yet.</summary>
    public bool HasWaiting => _stage.Encoded.Value > Consumed.Value;

    public void Register(FanOutSession session)
    {
        if (_options.DirectWrites)
        {
            session.Transport.EnableDirectWrites();
        }

        session.Writable = session.Transport.IsWritable;
        session.IndexInLoop = _sessions.Count;
        _sessions.Add(session);
        if (session.Encoding == ClientEncoding.Json)
        {
            _stage.JsonClientAdded();
        }
        else if (session.Encoding == ClientEncoding.Sse)
        {
            _stage.SseClientAdded();
        }
        else if (session.Encoding == ClientEncoding.SocketIo)
        {
            _stage.SocketIoClientAdded();
        }
    }

    /// <summary>Releases every subscription of a session at once; nothing more is delivered to it.</summary>
    public void Unregister(FanOutSession session)
    {
        if (session.Closed)
        {
            return;
        }

        session.Closed = true;
        foreach (var subscription in session.Subscriptions.Values)
        {
            _bySymbol[subscription.SymbolId]?.Remove(subscription);
        }

        _counters.SubscriptionsRemoved(session.Subscriptions.Count);
        session.Subscriptions.Clear();
        var index = session.IndexInLoop;
        if (index >= 0 && index < _sessions.Count && ReferenceEquals(_sessions[index], session))
        {
            var last = _sessions[^1];
            _sessions[index] = last;
            last.IndexInLoop = index;
            _sessions.RemoveAt(_sessions.Count - 1);
        }

        session.IndexInLoop = -1;
        if (!session.Touched)
        {
            // A session touched in the drain under way releases its cork when that drain flushes it.
            session.ReleaseCork();
        }

        if (session.Encoding == ClientEncoding.Json)
        {
            _stage.JsonClientRemoved();
        }
        else if (session.Encoding == ClientEncoding.Sse)
        {
            _stage.SseClientRemoved();
        }
        else if (session.Encoding == ClientEncoding.SocketIo)
        {
            _stage.SocketIoClientRemoved();
        }
    }

    /// <summary>
    /// Subscribes a session to a symbol. Returns the loop's latest price of the symbol (for the snapshot), or
    /// null when none has arrived yet; later deliveries are always newer than it.
    /// </summary>
    public LatestPrice? Subscribe(FanOutSession session, int symbolId, long minIntervalTicks)
    {
        if (!session.Subscriptions.TryGetValue(symbolId, out var subscription))
        {
            subscription = new Subscription(session, symbolId, minIntervalTicks);
            session.Subscriptions.Add(symbolId, subscription);
            SetFor(symbolId).Add(subscription);
            _counters.SubscriptionsAdded(1);
        }

        subscription.MinIntervalTicks = minIntervalTicks;
        var latest = symbolId < _latest.Length ? _latest[symbolId] : null;
        if (latest is not null)
        {
            subscription.LastSent = latest.Sequence;
            subscription.NextAllowedAt = _clock.GetTimestamp() + minIntervalTicks;
            subscription.Pending = false;
            EnsureEncoded(latest, session.Encoding);
        }

        return latest;
    }

    public bool Unsubscribe(FanOutSession session, int symbolId)
    {
        if (!session.Subscriptions.Remove(symbolId, out var subscription))
        {
            return false;
        }

        _bySymbol[symbolId]?.Remove(subscription);
        subscription.Pending = false;
        _counters.SubscriptionsRemoved(1);
        return true;
    }

    /// <summary>Called by the session's handler when its channel's writability changed.</summary>
    public void OnWritabilityChanged(FanOutSession session)
    {
        session.Writable = session.Transport.IsWritable;
        if (session.Writable && session.UnwritableSince != 0)
        {
            session.UnwritableSince = 0;
            DeliverPending(_clock.GetTimestamp());
            FlushTouched();
        }
    }

    private void OnPrice(ref PriceSlot slot, long sequence, long now)
    {
        var symbolId = slot.SymbolId;
        var latest = LatestFor(symbolId);
        latest.Update(
            ref slot,
            sequence,
            _frames.Frame(ClientEncoding.MessagePack, sequence),
            _frames.Frame(ClientEncoding.Json, sequence),
            _frames.Frame(ClientEncoding.Sse, sequence),
            _frames.Frame(ClientEncoding.SocketIo, sequence));
        _counters.RecordIngestToFanOut(now - slot.ReceivedAt);
        var set = symbolId < _bySymbol.Length ? _bySymbol[symbolId] : null;
        if (set is null)
        {
            return;
        }

        // Most subscribers take MessagePack: its frame is looked up once, the others' per subscriber.
        var messagePack = _frames.Frame(ClientEncoding.MessagePack, sequence);

        for (var i = 0; i < set.Count; i++)
        {
            WalkPrefetch.SubscribersAhead(set, i);
            var subscription = set[i];
            var session = subscription.Session;
            if (!session.Writable)
            {
                Hold(subscription, now);
                TrackUnwritable(session, now);
                continue;
            }

            if (subscription.MinIntervalTicks > 0 && now < subscription.NextAllowedAt)
            {
                Hold(subscription, now);
                continue;
            }

            var frame = session.Encoding == ClientEncoding.MessagePack ? messagePack : _frames.Frame(session.Encoding, sequence);
            if (frame.IsEmpty)
            {
                // An encoding the stage did not produce for this sequence (its first client came after): encoded here.
                Deliver(subscription, latest, now);
            }
            else
            {
                // The ring's own frame, by reference: the latest price's copy may change before the flush if the
                // symbol updates again in this drain.
                session.CorkPinned(frame);
                Delivered(subscription, latest.Sequence, now);
            }
        }
    }

    private void OnStatus(long sequence)
    {
        for (var i = 0; i < _sessions.Count; i++)
        {
            var session = _sessions[i];
            session.CorkPinned(_frames.Frame(session.Encoding, sequence));
            Touch(session);
        }

        _counters.CountDeliveries(_sessions.Count);
    }

    private void Deliver(Subscription subscription, LatestPrice latest, long now)
    {
        var session = subscription.Session;
        EnsureEncoded(latest, session.Encoding);
        session.Cork(latest.Frame(session.Encoding));
        Delivered(subscription, latest.Sequence, now);
    }

    private void Delivered(Subscription subscription, long sequence, long now)
    {
        subscription.LastSent = sequence;
        subscription.NextAllowedAt = now + subscription.MinIntervalTicks;
        subscription.Pending = false;
        _counters.CountDeliveries(1);
        Touch(subscription.Session);
    }

    private void Hold(Subscription subscription, long now)
    {
        subscription.Session.Conflated++;
        _counters.CountConflated();
        if (subscription.Pending)
        {
            return;
        }

        subscription.Pending = true;
        _pending.Add(subscription);
        ScheduleTick();
    }

    private void TrackUnwritable(FanOutSession session, long now)
    {
        if (session.UnwritableSince == 0)
        {
            session.UnwritableSince = now;
        }

        if (!session.TrackedUnwritable)
        {
            session.TrackedUnwritable = true;
            _unwritable.Add(session);
            ScheduleTick();
        }
    }

    private void ScheduleTick()
    {
        if (_tickScheduled)
        {
            return;
        }

        _tickScheduled = true;
        Loop.Schedule(_tick, this, TimeSpan.FromMilliseconds(_options.ConflationTickMilliseconds));
    }

    /// <summary>
    /// The conflation tick, on the loop thread: closes slow consumers, sends held-back updates that are now allowed,
    /// and schedules itself again while any wait. Scheduled by the fan-out; tests with a hand-driven clock call it.
    /// </summary>
    internal void Tick()
    {
        _tickScheduled = false;
        var now = _clock.GetTimestamp();
        CheckSlowConsumers(now);
        DeliverPending(now);
        FlushTouched();
        if (_pending.Count > 0 || _unwritable.Count > 0)
        {
            ScheduleTick();
        }
    }

    private void CheckSlowConsumers(long now)
    {
        for (var i = _unwritable.Count - 1; i >= 0; i--)
        {
            var session = _unwritable[i];
            if (session.Closed || session.Transport.IsWritable)
            {
                session.Writable = true;
                session.UnwritableSince = 0;
                session.TrackedUnwritable = false;
                _unwritable.RemoveAt(i);
                continue;
            }

            var queued = session.Transport.QueuedBytes;
            var stalledFor = now - session.UnwritableSince;
            if (stalledFor > _slowConsumerTimeoutTicks || queued > _options.SlowConsumerMaxQueuedBytes)
            {
                session.TrackedUnwritable = false;
                _unwritable.RemoveAt(i);
                var reason = queued > _options.SlowConsumerMaxQueuedBytes ? "slow consumer: too many bytes queued" : "slow consumer: not reading";
                Unregister(session);
                // What waits in Edge would only delay the close: dropped, so the close frame (or last event) the closer
                // writes follows right after what the transport already holds (whole frames).
                var discarded = session.Transport.DiscardBacklog();
                _counters.CountSlowConsumerClose(discarded);
                _closer.CloseSlowConsumer(session, reason);
            }
        }
    }

    private void DeliverPending(long now)
    {
        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            var subscription = _pending[i];
            var session = subscription.Session;
            if (!subscription.Pending || session.Closed || subscription.IndexInSet < 0)
            {
                subscription.Pending = false;
                RemovePendingAt(i);
                continue;
            }

            if (!session.Transport.IsWritable || now < subscription.NextAllowedAt)
            {
                continue;
            }

            var latest = _latest[subscription.SymbolId];
            if (latest is not null && latest.Sequence > subscription.LastSent)
            {
                Deliver(subscription, latest, now);
            }

            subscription.Pending = false;
            RemovePendingAt(i);
        }
    }

    private void RemovePendingAt(int index)
    {
        _pending[index] = _pending[^1];
        _pending.RemoveAt(_pending.Count - 1);
    }

    private void Touch(FanOutSession session)
    {
        if (!session.Touched)
        {
            session.Touched = true;
            _touched.Add(session);
        }
    }

    private void FlushTouched()
    {
        for (var i = 0; i < _touched.Count; i++)
        {
            WalkPrefetch.FlushesAhead(_touched, i);
            var session = _touched[i];
            session.Touched = false;
            _counters.CountWrite(session.CorkedBytes);
            try
            {
                if (session.FlushCork())
                {
                    _counters.CountDirectWrite();
                }
            }
            catch (Exception e)
            {
                // One channel's failed write must not keep the other sessions of this drain from being flushed.
                _counters.CountException();
                _errors?.Record("fan-out-write", e);
            }
        }

        _touched.Clear();
    }

    /// <summary>
    /// <see cref="WalkPrefetch"/> across the drain's events, a stage per event ahead: the subscriber set of the event four ahead, its
    /// array three ahead, its first subscriptions two ahead, their sessions one ahead, so that a symbol's walk starts warm.
    /// </summary>
    private void PrefetchEventsAhead(long sequence, long last)
    {
        if (sequence + 4 <= last)
        {
            CacheHint.Prefetch(SetOf(sequence + 4));
        }

        if (sequence + 3 <= last)
        {
            SetOf(sequence + 3)?.PrefetchItems();
        }

        if (sequence + 2 <= last && SetOf(sequence + 2) is { } subscriptions)
        {
            var first = Math.Min(subscriptions.Count, 4);
            for (var i = 0; i < first; i++)
            {
                CacheHint.Prefetch(subscriptions[i]);
            }
        }

        if (sequence + 1 <= last && SetOf(sequence + 1) is { } sessions)
        {
            var first = Math.Min(sessions.Count, 4);
            for (var i = 0; i < first; i++)
            {
                CacheHint.Prefetch(sessions[i].Session);
            }
        }
    }

    /// <summary>The subscriber set of a drained event's symbol (null for status events and unsubscribed symbols).</summary>
    private SubscriberSet? SetOf(long sequence)
    {
        ref var slot = ref _ring[sequence];
        var symbolId = slot.SymbolId;
        return slot.Kind == PriceSlotKind.Price && (uint)symbolId < (uint)_bySymbol.Length ? _bySymbol[symbolId] : null;
    }

    /// <summary>
    /// Makes sure <paramref name="latest"/> holds its frame in <paramref name="encoding"/>. JSON and socket.io frames and SSE chunks
    /// are produced by the stage only while such clients exist; this fills the gap (the first client, or a price the stage
    /// encoded just before it came), once per price. Loop thread only.
    /// </summary>
    public void EnsureEncoded(LatestPrice latest, ClientEncoding encoding)
    {
        if (encoding == ClientEncoding.MessagePack || latest.Has(encoding))
        {
            return;
        }

        Span<byte> frame = stackalloc byte[PriceFrameEncoder.MaxFrameLength];
        var symbol = _symbols.Utf8(latest.Slot.SymbolId);
        var bidSource = _sources.Utf8(latest.Slot.BidSourceId);
        var askSource = _sources.Utf8(latest.Slot.AskSourceId);
        if (encoding == ClientEncoding.SocketIo)
        {
            latest.SetSocketIo(frame[..SocketIoPriceEncoder.EncodeFrame(frame, symbol, bidSource, askSource, latest.Slot.Quote)]);
            return;
        }

        var length = _encoder.EncodeFrame(encoding, frame, symbol, bidSource, askSource, latest.Slot.Quote);
        if (encoding == ClientEncoding.Sse)
        {
            latest.SetSse(frame[..length]);
        }
        else
        {
            latest.SetJson(frame[..length]);
        }
    }

    private LatestPrice LatestFor(int symbolId)
    {
        if (symbolId >= _latest.Length)
        {
            Array.Resize(ref _latest, Math.Max(symbolId + 1, _latest.Length * 2));
        }

        return _latest[symbolId] ??= new LatestPrice();
    }

    private SubscriberSet SetFor(int symbolId)
    {
        if (symbolId >= _bySymbol.Length)
        {
            Array.Resize(ref _bySymbol, Math.Max(symbolId + 1, _bySymbol.Length * 2));
        }

        return _bySymbol[symbolId] ??= new SubscriberSet();
    }
}
