using DotNetty.Common.Concurrency;
using Edge.Server.FanOut;
using TaskCompletionSource = System.Threading.Tasks.TaskCompletionSource;

namespace Edge.Server.Systemd;

/// <summary>
/// The watchdog's probe: every event loop runs a no-op task within the time allowed (a loop blocked by a handler or
/// a stuck drain never runs it), and every ring consumer (the frame stage and each loop's fan-out) made progress
/// since the previous check whenever it had events waiting.
/// </summary>
public sealed class EdgeLiveness
{
    private static readonly Action<object> Complete = static state => ((TaskCompletionSource)state).TrySetResult();
    private readonly IReadOnlyList<IEventExecutor> _loops;
    private readonly IReadOnlyList<RingConsumerProgress> _consumers;

    public EdgeLiveness(IReadOnlyList<IEventExecutor> loops, IReadOnlyList<RingConsumerProgress> consumers)
    {
        _loops = loops;
        _consumers = consumers;
    }

    /// <summary>The probe of a running Edge: its connection loops, its frame stage and every loop's fan-out.</summary>
    public static EdgeLiveness For(FanOutService fanOut)
    {
        var ring = fanOut.Ring;
        var consumers = new List<RingConsumerProgress>();
        if (fanOut.StageProcessor is { } stage)
        {
            // Inline, the stage is part of the receive thread and has no progress of its own to check.
            consumers.Add(new(stage.Name, () => stage.Sequence.Value, () => ring.Cursor, () => stage.IsRunning));
        }
        var loops = new List<IEventExecutor>();
        for (var i = 0; i < fanOut.Loops.Count; i++)
        {
            var loop = fanOut.Loops[i];
            loops.Add(loop.Loop);
            consumers.Add(new RingConsumerProgress("loop-" + i, () => loop.Consumed.Value, () => fanOut.Stage.Encoded.Value));
        }

        return new EdgeLiveness(loops, consumers);
    }

    /// <summary>Null when everything is alive, else the first reason it is not. Checks every consumer every time.</summary>
    public async Task<string?> CheckAsync(TimeSpan loopTimeout)
    {
        string? problem = null;
        foreach (var consumer in _consumers)
        {
            problem ??= consumer.Check();
        }

        var probes = new Task[_loops.Count];
        for (var i = 0; i < _loops.Count; i++)
        {
            var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            probes[i] = ran.Task;
            try
            {
                _loops[i].Execute(Complete, ran);
            }
            catch (RejectedExecutionException)
            {
                return problem ?? $"event loop {i} is shut down";
            }
        }

        using var timeout = new CancellationTokenSource(loopTimeout);
        try
        {
            await Task.WhenAll(probes).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            for (var i = 0; i < probes.Length; i++)
            {
                if (!probes[i].IsCompleted)
                {
                    return problem ?? $"event loop {i} did not run a task within {loopTimeout.TotalSeconds:0.#} s";
                }
            }
        }

        return problem;
    }
}
