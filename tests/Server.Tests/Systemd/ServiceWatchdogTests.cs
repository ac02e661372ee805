using Edge.EndToEnd.Tests.Deployment;
using Edge.Ingest.Ring;
using Edge.Server.Systemd;
using Edge.Server.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using static Edge.Tests.Shared.Eventually;

namespace Edge.Server.Tests.Systemd;

/// <summary>
/// The watchdog in-process over real parts: a DotNetty event loop, a ring with a consumer thread whose handler a
/// test can block, and a notify socket playing systemd. A stuck consumer or a blocked loop stops the pings.
/// </summary>
public sealed class ServiceWatchdogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Test]
    public async Task A_stuck_ring_consumer_stops_the_pings_and_they_resume_when_it_moves_again()
    {
        using var systemd = new NotifySocket();
        using var notifier = new SystemdNotifier(systemd.Address);
        var loops = EdgeEventLoop.NewGroup(1);
        var gate = new ManualResetEventSlim(true);
        var ring = new RingBuffer<Slot>(16, ProducerType.Single, new BlockingWaitStrategy());
        var consumer = ring.CreateProcessor("test-consumer", new GatedHandler(gate));
        consumer.Start();
        var liveness = new EdgeLiveness(
            [loops.GetNext()],
            [new RingConsumerProgress(consumer.Name, () => consumer.Sequence.Value, () => ring.Cursor, () => consumer.IsRunning)]);
        var watchdog = new ServiceWatchdog(notifier, liveness, Interval, pingsEnabled: true, static () => "3 connections", NullLogger.Instance);
        try
        {
            watchdog.Start();
            var healthy = await systemd.ReceiveUntilAsync(static d => d.Contains("WATCHDOG=1", StringComparison.Ordinal));
            Assert.That(healthy[^1], Is.EqualTo("WATCHDOG=1\nSTATUS=3 connections"));

            gate.Reset();
            ring.Publish(ring.Next());
            await systemd.ReceiveUntilAsync(static d => d.Contains("watchdog pings stopped: ring consumer test-consumer is stuck", StringComparison.Ordinal));
            var failedAtStuck = watchdog.FailedChecks;
            await WaitUntilAsync(() => watchdog.FailedChecks >= failedAtStuck + 3);
            var whileStuck = systemd.Drain();

            Assert.That(whileStuck, Has.Count.GreaterThanOrEqualTo(2));
            Assert.That(whileStuck, Has.None.Contains("WATCHDOG=1"), "no ping while the consumer is stuck");

            gate.Set();
            await systemd.ReceiveUntilAsync(static d => d.StartsWith("WATCHDOG=1", StringComparison.Ordinal));
        }
        finally
        {
            gate.Set();
            await watchdog.DisposeAsync();
            consumer.HaltAndJoin(TimeSpan.FromSeconds(10));
            await loops.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }
    }

    [Test]
    public async Task A_blocked_event_loop_stops_the_pings()
    {
        using var systemd = new NotifySocket();
        using var notifier = new SystemdNotifier(systemd.Address);
        var loops = EdgeEventLoop.NewGroup(1);
        var gate = new ManualResetEventSlim(true);
        var loop = loops.GetNext();
        var liveness = new EdgeLiveness([loop], []);
        var watchdog = new ServiceWatchdog(notifier, liveness, Interval, pingsEnabled: true, static () => "ok", NullLogger.Instance);
        try
        {
            watchdog.Start();
            await systemd.ReceiveUntilAsync(static d => d.StartsWith("WATCHDOG=1", StringComparison.Ordinal));

            gate.Reset();
            loop.Execute(static state => ((ManualResetEventSlim)state).Wait(TimeSpan.FromSeconds(60)), gate);
            await systemd.ReceiveUntilAsync(static d => d.Contains("event loop 0 did not run a task", StringComparison.Ordinal));
            var failed = watchdog.FailedChecks;
            await WaitUntilAsync(() => watchdog.FailedChecks >= failed + 2);

            Assert.That(systemd.Drain(), Has.None.Contains("WATCHDOG=1"));

            gate.Set();
            await systemd.ReceiveUntilAsync(static d => d.StartsWith("WATCHDOG=1", StringComparison.Ordinal));
        }
        finally
        {
            gate.Set();
            await watchdog.DisposeAsync();
            await loops.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }
    }

    [Test]
    public async Task Without_a_watchdog_only_status_lines_are_sent()
    {
        using var systemd = new NotifySocket();
        using var notifier = new SystemdNotifier(systemd.Address);
        var watchdog = new ServiceWatchdog(notifier, new EdgeLiveness([], []), Interval, pingsEnabled: false, static () => "ok", NullLogger.Instance);
        try
        {
            watchdog.Start();
            Assert.That(await systemd.ReceiveAsync(), Is.EqualTo("STATUS=ok"));
            Assert.That(await systemd.ReceiveAsync(), Is.EqualTo("STATUS=ok"));
            Assert.That(watchdog.Pings, Is.Zero);
        }
        finally
        {
            await watchdog.DisposeAsync();
        }
    }

    private struct Slot
    {
        public long Value;
    }

    private readonly struct GatedHandler(ManualResetEventSlim gate) : IEventHandler<Slot>
    {
        public void OnEvent(ref Slot slot, long sequence, bool endOfBatch)
        {
            gate.Wait(TimeSpan.FromSeconds(60));
            slot.Value = sequence;
        }
    }
}
