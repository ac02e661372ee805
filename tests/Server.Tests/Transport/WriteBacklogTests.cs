using System.Buffers.Binary;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Edge.Server.Transport;

namespace Edge.Server.Tests.Transport;

/// <summary>
/// The write backlog over a real loopback socket whose client stops reading: past what DotNetty may hold, whole messages
/// wait in Edge, in order, and reach the client when it reads again; or are dropped, so the next write follows what
/// DotNetty already held.
/// </summary>
public sealed class WriteBacklogTests
{
    private const int MessageLength = 1024;
    private const int EndMarker = -1;

    [Test]
    public async Task Writes_past_what_dotnetty_may_hold_wait_in_edge_and_reach_a_client_that_reads_again_whole_and_in_order()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static pipeline => pipeline.AddLast(WriteBacklog.HandlerName, new WriteBacklog()), clientReceiveBufferSize: 4096);
        var (written, queued) = await pair.OnLoopAsync(() => FillUntilQueued(pair.Server));
        await pair.OnLoopAsync(() => pair.Server.WriteAndFlushAsync(Message(pair.Server, EndMarker)));

        var indexes = await ReadUntilEndAsync(pair);

        Assert.That(queued, Is.GreaterThan(0), "writes waited in Edge");
        Assert.That(indexes, Is.EqualTo(Enumerable.Range(0, written)), "every message, whole, in the order written");
    }

    [Test]
    public async Task Discard_drops_what_waits_in_edge_so_the_next_write_follows_what_dotnetty_held()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static pipeline => pipeline.AddLast(WriteBacklog.HandlerName, new WriteBacklog()), clientReceiveBufferSize: 4096);
        var (written, dropped) = await pair.OnLoopAsync(() =>
        {
            var (count, _) = FillUntilQueued(pair.Server);
            var discarded = pair.Server.Pipeline.Get<WriteBacklog>()!.Discard();
            pair.Server.WriteAndFlushAsync(Message(pair.Server, EndMarker));
            return (count, discarded);
        });

        var indexes = await ReadUntilEndAsync(pair);

        Assert.That(dropped, Is.GreaterThan(0));
        Assert.That(indexes, Is.EqualTo(Enumerable.Range(0, indexes.Count)), "whole messages in order up to the cut");
        Assert.That(indexes.Count * (long)MessageLength, Is.EqualTo((written * (long)MessageLength) - dropped), "exactly the dropped messages are missing, all at the end");
    }

    /// <summary>Writes numbered messages (the client reads nothing) until some wait in the backlog; bounded.</summary>
    private static (int Written, long Queued) FillUntilQueued(IChannel server)
    {
        var backlog = server.Pipeline.Get<WriteBacklog>()!;
        var index = 0;
        // Past DotNetty's share, a few messages more, so several wait. 64 MiB at most, whatever the kernel takes.
        while (backlog.QueuedBytes < 8 * MessageLength && index < 64 * 1024)
        {
            server.WriteAndFlushAsync(Message(server, index++));
        }

        return (index, backlog.QueuedBytes);
    }

    private static IByteBuffer Message(IChannel channel, int index)
    {
        var buffer = channel.Allocator.Buffer(MessageLength);
        buffer.WriteInt(index);
        buffer.WriteZero(MessageLength - 4);
        return buffer;
    }

    private static async Task<List<int>> ReadUntilEndAsync(LoopbackChannelPair pair)
    {
        var indexes = new List<int>();
        while (true)
        {
            var message = await pair.ReadAsync(MessageLength);
            var index = BinaryPrimitives.ReadInt32BigEndian(message);
            if (index == EndMarker)
            {
                return indexes;
            }

            indexes.Add(index);
        }
    }
}
