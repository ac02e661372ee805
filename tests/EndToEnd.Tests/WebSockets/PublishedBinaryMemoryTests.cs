using System.Diagnostics;
using System.Globalization;
using System.Net;
using Edge.EndToEnd.Tests.Deployment;
using Edge.Protocol.WebSockets;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// The native binary gives memory back after a burst of large messages (#15 item 19: 16 MB echo messages left RSS
/// at ≈ 290 MB for good). Reads the Edge process's own VmRSS from /proc; the bound is on memory, the wait only a
/// generous timeout.
/// </summary>
public sealed class PublishedBinaryMemoryTests
{
    private const int MessageBytes = 16 * 1024 * 1024 - 16;
    private const int Messages = 8;
    private const long AllowedGrowthBytes = 64L * 1024 * 1024;

    [Test]
    public async Task Resident_memory_returns_near_its_start_after_a_burst_of_16_MB_echo_messages()
    {
        using var edge = EdgeBinary.Start(
            ["--Port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0", "--WebSocket:EchoPath", "/echo", "--WebSocket:MaxMessageBytes", "16777216"]);
        var process = edge.Process;
        var endPoint = new IPEndPoint(IPAddress.Loopback, await edge.ReadPortAsync());
        edge.DrainOutput();
        var before = ResidentBytes(process);

        var frame = WireFrame.Masked(WebSocketOpcode.Binary, new byte[MessageBytes]);
        const int echoHeaderBytes = 10; // 2 bytes + a 64-bit length, unmasked
        long peak = before;
        using (var client = await RawWebSocket.OpenAsync(endPoint, "/echo"))
        {
            Assert.That(client.Status, Is.EqualTo(101));
            for (var i = 0; i < Messages; i++)
            {
                await client.SendAsync(frame);
                await client.DiscardAsync(echoHeaderBytes + MessageBytes);
                peak = Math.Max(peak, ResidentBytes(process));
            }
        }

        var bound = before + AllowedGrowthBytes;
        var after = await WaitForResidentAtMostAsync(process, bound, TimeSpan.FromSeconds(90));
        Assert.That(after, Is.LessThanOrEqualTo(bound),
            $"RSS {Mb(before)} before the burst, {Mb(peak)} at its peak, {Mb(after)} at the end of the wait: memory not given back");
    }

    private static async Task<long> WaitForResidentAtMostAsync(Process process, long bound, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var resident = ResidentBytes(process);
            if (resident <= bound || deadline.Elapsed > timeout)
            {
                return resident;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in bytes.</summary>
    private static long ResidentBytes(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS in /proc/" + process.Id + "/status");
    }

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture) + " MB";
}
