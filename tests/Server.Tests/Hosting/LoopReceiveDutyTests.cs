using System.Net;
using DotNetty.Transport.Channels;
using Edge.Ingest.Aeron;
using Edge.Ingest.Prices;
using Edge.Ingest.Symbols;
using Edge.Protocol;
using Edge.Protocol.Ingest;
using Edge.Server.FanOut;
using Edge.Server.Metrics;
using Edge.Server.Tests.FanOut;
using Edge.Server.Transport;
using TaskCompletionSource = System.Threading.Tasks.TaskCompletionSource;

namespace Edge.Server.Tests.Hosting;

/// <summary>
/// The receive duty on an event loop (<c>Ingest:ReceiveOn=loop</c>) with a real loop, the real ring and fan-out and a
/// real Aeron publisher over loopback UDP. The receiver's poll timeout is five minutes here, so anything that is
/// served while the duty is parked was served because the duty was woken, not because its wait ran out.
/// </summary>
public sealed class LoopReceiveDutyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_task_from_another_thread_runs_while_the_duty_is_parked_in_poll()
    {
        await using var rig = Rig.Start();
        await rig.WaitUntilParkedAsync();

        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var onLoop = false;
        rig.Loop.Execute(() =>
        {
            onLoop = rig.Loop.InEventLoop;
            ran.SetResult();
        });

        Assert.That(await Task.WhenAny(ran.Task, Task.Delay(Bound)), Is.SameAs(ran.Task), "the queued task woke the parked duty");
        Assert.That(onLoop, Is.True);
    }

    [Test]
    public async Task A_task_scheduled_from_another_thread_runs_when_due_while_the_duty_is_parked()
    {
        await using var rig = Rig.Start();
        await rig.WaitUntilParkedAsync();

        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = rig.Loop.Schedule(() => ran.SetResult(), TimeSpan.FromMilliseconds(200));

        Assert.That(await Task.WhenAny(ran.Task, Task.Delay(Bound)), Is.SameAs(ran.Task), "the duty parked no longer than the next scheduled task");
    }

    [Test]
    public async Task Prices_received_on_the_loop_are_drained_by_it_and_a_full_ring_drains_instead_of_waiting()
    {
        // The smallest ring (64 slots): one receive batch of up to 64 datagrams fills it, and only this loop, on this
        // very thread, can free it.
        await using var rig = Rig.Start(new FanOutOptions { RingCapacity = 64 });
        using var publisher = rig.Publisher();
        const int Prices = 5000;
        var message = new byte[IngestSchema.MaxMessageLength];
        for (var i = 1; i <= Prices; i++)
        {
            var length = IngestPriceEncoder.Encode(message, "SYM" + (i % 50), "LP1", "LP2", new Quote(1.0 + i, 1, 2.0 + i, 1, i, (ulong)i));
            using var timeout = new CancellationTokenSource(Bound);
            while (publisher.Offer(message.AsSpan(0, length)) != AeronOfferResult.Success)
            {
                Assert.That(timeout.IsCancellationRequested, Is.False, "the publisher was back-pressured too long: the loop stopped draining");
                Thread.Yield();
            }
        }

        var fanOut = rig.FanOut.Loops[0];
        using (var timeout = new CancellationTokenSource(Bound))
        {
            while (rig.FanOut.Ingest.Counters.Published < Prices || fanOut.Consumed.Value < rig.FanOut.Ring.Cursor)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        Assert.That(rig.FanOut.Ingest.Counters.Published, Is.EqualTo(Prices));
        Assert.That(rig.FanOut.Ring.FullRingWaits, Is.Zero, "a full ring was drained on the loop, never waited for");
        Assert.That(rig.Errors, Is.Empty);
    }

    [Test]
    public async Task Stopping_the_duty_hands_the_receiver_back_and_the_loop_then_shuts_down()
    {
        var rig = Rig.Start();
        await rig.WaitUntilParkedAsync();

        Assert.That(await rig.Duty.StopAsync(Bound), Is.True, "the duty confirmed it stopped");
        rig.Receiver.Dispose();
        var terminated = rig.Group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.That(await Task.WhenAny(terminated, Task.Delay(Bound)), Is.SameAs(terminated));
        rig.Duty.Dispose();
    }

    [Test]
    public async Task A_loop_shut_down_under_a_running_duty_still_terminates()
    {
        var rig = Rig.Start();
        using var publisher = rig.Publisher();
        await rig.WaitUntilParkedAsync();

        // No StopAsync first: the duty sees the shutdown and stops queueing itself, or the shutdown would never end.
        var terminated = rig.Group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.That(await Task.WhenAny(terminated, Task.Delay(Bound)), Is.SameAs(terminated));
        Assert.That(await rig.Duty.StopAsync(Bound), Is.True);
        rig.Receiver.Dispose();
        rig.Duty.Dispose();
    }

    private sealed class Rig : IAsyncDisposable
    {
        private Rig(FanOutOptions options)
        {
            Group = EdgeEventLoop.NewGroup(1);
            Loop = (EdgeEventLoop)Group.GetNext();
            FanOut = new FanOutService(options, Group.Items, new NameTable(1000), new NameTable(100), new MetricsRegistry(), new NeverSlowConsumers());
            Receiver = new AeronReceiver<AeronPriceHandler>(
                new AeronReceiverOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), PollTimeout = TimeSpan.FromMinutes(5) },
                new AeronPriceHandler(FanOut.Ingest),
                e => Errors.Add(e));
            Duty = new LoopReceiveDuty(Loop, Receiver, FanOut.Loops[0], neverPark: false, e => Errors.Add(e));
            FanOut.Stage.DrainedByReceiver = FanOut.Loops[0];
            FanOut.Ingest.FullRing = Duty;
        }

        public MultithreadEventLoopGroup Group { get; }

        public EdgeEventLoop Loop { get; }

        public FanOutService FanOut { get; }

        public AeronReceiver<AeronPriceHandler> Receiver { get; }

        public LoopReceiveDuty Duty { get; }

        public List<Exception> Errors { get; } = [];

        public static Rig Start(FanOutOptions? options = null)
        {
            var rig = new Rig(options ?? new FanOutOptions());
            rig.FanOut.Start();
            rig.Duty.Start();
            return rig;
        }

        public AeronPublisher Publisher()
        {
            var publisher = new AeronPublisher(new AeronPublisherOptions { Destination = Receiver.LocalEndPoint, StreamId = 1001 });
            using var timeout = new CancellationTokenSource(Bound);
            while (!publisher.IsConnected)
            {
                Assert.That(timeout.IsCancellationRequested, Is.False, "the publisher connected to the duty's receiver");
                Thread.Sleep(5);
            }

            return publisher;
        }

        public async Task WaitUntilParkedAsync()
        {
            using var timeout = new CancellationTokenSource(Bound);
            while (!Duty.IsParked)
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Duty.StopAsync(Bound);
            Receiver.Dispose();
            FanOut.Dispose();
            // Bounded: a loop stuck for good (a deadlocked duty) must fail the test, not hang the run.
            await Group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(5)).WaitAsync(Bound);
            Duty.Dispose();
        }
    }
}
