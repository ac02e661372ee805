using System.Collections.Concurrent;

namespace Edge.Client.Tests.Support;

/// <summary>Records a client's connection events for assertions.</summary>
internal sealed class ClientEvents
{
    private int _connected;

    public ClientEvents(MarketDataClient client)
    {
        client.Connected += (_, _) => Interlocked.Increment(ref _connected);
        client.Disconnected += (_, e) => Disconnects.Enqueue(e);
        client.Error += (_, e) => Errors.Enqueue(e);
        client.FeedStatusChanged += (_, e) => FeedStatuses.Enqueue(e);
    }

    public int ConnectedCount => Volatile.Read(ref _connected);

    public ConcurrentQueue<DisconnectedEventArgs> Disconnects { get; } = new();

    public ConcurrentQueue<ClientErrorEventArgs> Errors { get; } = new();

    public ConcurrentQueue<FeedStatusEventArgs> FeedStatuses { get; } = new();

    public string Describe() =>
        $"disconnects: [{string.Join(", ", Disconnects.Select(d => $"{d.CloseCode} {d.Reason}"))}], errors: [{string.Join(", ", Errors.Select(e => $"{e.Code} {e.Message}"))}]";
}
