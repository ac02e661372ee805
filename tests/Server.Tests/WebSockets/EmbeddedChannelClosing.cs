using System.Diagnostics;
using DotNetty.Transport.Channels.Embedded;

namespace Edge.Server.Tests.WebSockets;

/// <summary>Waiting for an embedded channel to close itself, which it does from its scheduled tasks (timeouts, close handshakes).</summary>
internal static class EmbeddedChannelClosing
{
    /// <summary>Runs the channel's scheduled tasks until it closes; false if it is still open after the bound.</summary>
    public static bool WaitForClose(this EmbeddedChannel channel, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (channel.Open && clock.Elapsed < bound)
        {
            channel.RunScheduledPendingTasks();
            channel.RunPendingTasks();
            if (channel.Open)
            {
                Thread.Sleep(5);
            }
        }

        return !channel.Open;
    }
}
