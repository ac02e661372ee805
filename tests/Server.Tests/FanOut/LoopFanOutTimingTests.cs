using Edge.Protocol.Client;
using Edge.Server.FanOut;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// The fan-out's timing rules, driven by hand: the real ring, stage and loop fan-out on an embedded event loop, fake
/// client connections whose writability and queued bytes the test sets, and a clock the test moves. Each conflation
/// tick is run by the test (<see cref="LoopFanOut.Tick"/>) at a known clock time, so limits are checked to the tick.
/// </summary>
public sealed class LoopFanOutTimingTests
{
    private const string Symbol = "EUR/USD";
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Test]
    public void A_rate_limited_subscription_holds_updates_and_sends_only_the_latest_once_its_interval_has_passed()
    {
        var clock = new HandDrivenClock();
        using var fanOut = new EmbeddedFanOut(new NeverSlowConsumers(), clock: clock);
        var client = Subscribe(fanOut, IntervalTicks(clock));

        fanOut.Publish(Symbol, 1);
        fanOut.Publish(Symbol, 2);
        fanOut.Publish(Symbol, 3);
        fanOut.Publish(Symbol, 4);
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1 }), "the first update goes at once, the rest wait");
        Assert.That(client.Session.Conflated, Is.EqualTo(3));

        clock.AdvanceTicks(IntervalTicks(clock) - 1);
        fanOut.Loop.Tick();
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1 }), "one tick before the interval has passed: still held");

        clock.AdvanceTicks(1);
        fanOut.Loop.Tick();
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 4 }), "then only the latest");

        fanOut.Loop.Tick();
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 4 }), "and nothing twice");
    }

    [Test]
    public void Deliveries_to_a_rate_limited_subscription_are_spaced_by_its_interval_while_an_unlimited_one_gets_every_update()
    {
        var clock = new HandDrivenClock();
        using var fanOut = new EmbeddedFanOut(new NeverSlowConsumers(), clock: clock);
        var limited = Subscribe(fanOut, IntervalTicks(clock));
        var unlimited = Subscribe(fanOut, 0);

        fanOut.Publish(Symbol, 1);
        clock.Advance(Interval * 0.6);
        fanOut.Publish(Symbol, 2);
        clock.Advance(Interval * 0.4);
        fanOut.Loop.Tick();
        Assert.That(limited.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 2 }), "the held update goes when the interval has passed");

        // The interval counts from that delivery: an update arriving right after it waits a whole interval again.
        fanOut.Publish(Symbol, 3);
        clock.Advance(Interval * 0.5);
        fanOut.Publish(Symbol, 4);
        clock.AdvanceTicks((IntervalTicks(clock) / 2) - 1);
        fanOut.Loop.Tick();
        Assert.That(limited.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 2 }));
        clock.AdvanceTicks(1);
        fanOut.Loop.Tick();
        Assert.That(limited.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 2, 4 }));

        // A quiet spell longer than the interval: the next update goes at once.
        clock.Advance(Interval * 3);
        fanOut.Publish(Symbol, 5);
        Assert.That(limited.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 2, 4, 5 }));
        Assert.That(unlimited.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void A_client_unwritable_for_longer_than_the_timeout_is_closed_as_not_reading_and_its_backlog_dropped()
    {
        var clock = new HandDrivenClock();
        var closer = new RecordingSlowConsumerCloser();
        var options = new FanOutOptions { SlowConsumerTimeoutSeconds = 10 };
        using var fanOut = new EmbeddedFanOut(closer, options, clock: clock);
        var stalled = Subscribe(fanOut, 0);
        var healthy = Subscribe(fanOut, 0);
        stalled.Transport.BacklogBytes = 5000;

        StallAfterFirstPrice(fanOut, stalled, 2);
        Assert.That(stalled.Session.UnwritableSince, Is.EqualTo(clock.GetTimestamp()), "the stall counts from the first update it could not take");

        clock.Advance(TimeSpan.FromSeconds(10));
        fanOut.Publish(Symbol, 3);
        fanOut.Loop.Tick();
        Assert.That(closer.Closed, Is.Empty, "not before the timeout has passed");
        Assert.That(stalled.Transport.Sequences(), Is.EqualTo(new ulong[] { 1 }), "held while unwritable");

        clock.AdvanceTicks(1);
        fanOut.Loop.Tick();
        Assert.That(closer.Closed, Has.Count.EqualTo(1));
        Assert.That(closer.Closed[0].Session, Is.SameAs(stalled.Session));
        Assert.That(closer.Closed[0].Reason, Is.EqualTo("slow consumer: not reading"));
        Assert.That(stalled.Session.Closed, Is.True, "unregistered before the closer is called");
        Assert.That(stalled.Transport.BacklogDiscards, Is.EqualTo(1), "what waited in Edge was dropped");
        Assert.That(fanOut.Loop.Counters.SlowConsumerCloses, Is.EqualTo(1));
        Assert.That(fanOut.Loop.Counters.SlowConsumerDiscardedBytes, Is.EqualTo(5000));
        Assert.That(fanOut.Loop.SessionCount, Is.EqualTo(1));

        fanOut.Publish(Symbol, 4);
        fanOut.Loop.Tick();
        Assert.That(closer.Closed, Has.Count.EqualTo(1), "closed once");
        Assert.That(healthy.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 2, 3, 4 }), "the healthy client got every update");
    }

    [Test]
    public void A_client_with_more_than_the_limit_queued_is_closed_at_the_next_tick_without_waiting_for_the_timeout()
    {
        var clock = new HandDrivenClock();
        var closer = new RecordingSlowConsumerCloser();
        var options = new FanOutOptions { SlowConsumerMaxQueuedBytes = 1024 * 1024 };
        using var fanOut = new EmbeddedFanOut(closer, options, clock: clock);
        var client = Subscribe(fanOut, 0);

        StallAfterFirstPrice(fanOut, client, 2);
        client.Transport.QueuedBytes = options.SlowConsumerMaxQueuedBytes;
        fanOut.Loop.Tick();
        Assert.That(closer.Closed, Is.Empty, "at the limit: kept");

        client.Transport.QueuedBytes = options.SlowConsumerMaxQueuedBytes + 1;
        fanOut.Loop.Tick();
        Assert.That(closer.Closed.Select(c => c.Reason), Is.EqualTo(new[] { "slow consumer: too many bytes queued" }));
        Assert.That(client.Transport.BacklogDiscards, Is.EqualTo(1));
    }

    [Test]
    public void A_client_writable_again_gets_only_the_latest_price_at_once_and_is_no_longer_timed()
    {
        var clock = new HandDrivenClock();
        var closer = new RecordingSlowConsumerCloser();
        using var fanOut = new EmbeddedFanOut(closer, new FanOutOptions { SlowConsumerTimeoutSeconds = 10 }, clock: clock);
        var client = Subscribe(fanOut, 0);

        StallAfterFirstPrice(fanOut, client, 4);
        clock.Advance(TimeSpan.FromSeconds(5));
        fanOut.Loop.Tick();
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1 }));

        SetWritable(fanOut, client, true);
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 4 }), "the latest, as soon as the connection drains");
        Assert.That(client.Session.UnwritableSince, Is.Zero);

        clock.Advance(TimeSpan.FromSeconds(60));
        fanOut.Loop.Tick();
        fanOut.Publish(Symbol, 5);
        Assert.That(closer.Closed, Is.Empty, "the stall ended with the recovery");
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 4, 5 }));
    }

    [Test]
    public void A_recovery_the_tick_sees_before_any_writability_event_also_ends_the_stall_and_sends_the_latest()
    {
        var clock = new HandDrivenClock();
        var closer = new RecordingSlowConsumerCloser();
        using var fanOut = new EmbeddedFanOut(closer, new FanOutOptions { SlowConsumerTimeoutSeconds = 10 }, clock: clock);
        var client = Subscribe(fanOut, 0);

        StallAfterFirstPrice(fanOut, client, 3);
        client.Transport.IsWritable = true;
        clock.Advance(TimeSpan.FromSeconds(11));
        fanOut.Loop.Tick();
        Assert.That(closer.Closed, Is.Empty, "writable when the tick looks: not a slow consumer");
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 3 }));
        Assert.That(client.Session.UnwritableSince, Is.Zero);
    }

    [Test]
    public void Several_updates_of_a_symbol_in_one_drain_each_reach_an_unlimited_subscriber_in_one_write_in_order()
    {
        using var fanOut = new EmbeddedFanOut(new NeverSlowConsumers(), clock: new HandDrivenClock());
        var client = Subscribe(fanOut, 0);

        // One receive batch, one drain: the loop's latest price is overwritten three times before the flush, so a
        // frame corked by reference must be the ring's frame of its own sequence, not the latest price's copy.
        for (var sequence = 1UL; sequence <= 4; sequence++)
        {
            fanOut.Ingest(Symbol, sequence);
        }

        fanOut.Service.Ingest.OnBatchEnd();
        fanOut.LoopOwner.RunPendingTasks();

        Assert.That(client.Transport.Writes, Has.Count.EqualTo(1), "one drain, one write");
        Assert.That(client.Transport.Sequences(), Is.EqualTo(new ulong[] { 1, 2, 3, 4 }));
        Assert.That(client.Transport.Prices().Select(price => price.Bid.Price), Is.EqualTo(new ulong[] { 1, 2, 3, 4 }.Select(EmbeddedFanOut.BidOf)));
    }

    [Test]
    public void Registering_enables_direct_writes_only_when_configured()
    {
        using var on = new EmbeddedFanOut(new NeverSlowConsumers(), new FanOutOptions { DirectWrites = true });
        using var off = new EmbeddedFanOut(new NeverSlowConsumers(), new FanOutOptions { DirectWrites = false });
        Assert.That(Subscribe(on, 0).Transport.DirectWritesEnabled, Is.True);
        Assert.That(Subscribe(off, 0).Transport.DirectWritesEnabled, Is.False);
    }

    private static long IntervalTicks(TimeProvider clock) => (long)(Interval.TotalSeconds * clock.TimestampFrequency);

    private static (FanOutSession Session, FakeClientTransport Transport) Subscribe(EmbeddedFanOut fanOut, long minIntervalTicks) =>
        fanOut.Connect(ClientEncoding.MessagePack, minIntervalTicks, [Symbol]);

    /// <summary>The client takes price 1, then stops reading: prices 2 to <paramref name="last"/> are held for it.</summary>
    private static void StallAfterFirstPrice(EmbeddedFanOut fanOut, (FanOutSession Session, FakeClientTransport Transport) client, ulong last)
    {
        fanOut.Publish(Symbol, 1);
        SetWritable(fanOut, client, false);
        for (var sequence = 2UL; sequence <= last; sequence++)
        {
            fanOut.Publish(Symbol, sequence);
        }
    }

    /// <summary>What the session's handler does when its channel's writability changes.</summary>
    private static void SetWritable(EmbeddedFanOut fanOut, (FanOutSession Session, FakeClientTransport Transport) client, bool writable)
    {
        client.Transport.IsWritable = writable;
        fanOut.Loop.OnWritabilityChanged(client.Session);
    }
}
