using System.Net;
using System.Net.Sockets;

namespace Edge.Ingest.Aeron;

/// <summary>
/// Decides which refused SETUPs are reported: at most one per source address per interval (a sender retries every
/// 100 ms) and at most <see cref="MaxReportsPerSecond"/> over all sources (so spoofed sources cannot flood the log).
/// Keeps the count of refusals it held back per source, for the next report. Fixed memory, no allocation.
/// </summary>
internal sealed class AeronSetupRefusalLimiter
{
    public const int MaxReportsPerSecond = 8;
    private const int Slots = 32;
    private const long NanosPerSecond = 1_000_000_000;

    private readonly long _intervalNs;
    private readonly SocketAddress[] _sources = new SocketAddress[Slots];
    private readonly long[] _lastReportNs = new long[Slots];
    private readonly long[] _suppressed = new long[Slots];
    private readonly bool[] _claimed = new bool[Slots];
    private readonly bool[] _reported = new bool[Slots];
    private long _windowStartNs;
    private int _reportsInWindow;

    public AeronSetupRefusalLimiter(long intervalNs, AddressFamily family)
    {
        _intervalNs = intervalNs;
        for (var i = 0; i < Slots; i++)
        {
            _sources[i] = new SocketAddress(family);
        }
    }

    /// <summary>
    /// A refusal from <paramref name="source"/>: true if it is to be reported now, with <paramref name="suppressed"/>
    /// the refusals from that source held back since its last report; false if it is only counted.
    /// </summary>
    public bool ShouldReport(SocketAddress source, long nowNs, out long suppressed)
    {
        suppressed = 0;
        var slot = Claim(source);
        if (slot < 0)
        {
            return false;
        }

        if (_reported[slot] && nowNs - _lastReportNs[slot] < _intervalNs)
        {
            _suppressed[slot]++;
            return false;
        }

        // The first report opens a window (a start of long.MinValue would overflow the difference and never reopen it).
        if (_reportsInWindow == 0 || nowNs - _windowStartNs >= NanosPerSecond)
        {
            _windowStartNs = nowNs;
            _reportsInWindow = 0;
        }

        if (_reportsInWindow >= MaxReportsPerSecond)
        {
            _suppressed[slot]++;
            return false;
        }

        _reportsInWindow++;
        suppressed = _suppressed[slot];
        _suppressed[slot] = 0;
        _lastReportNs[slot] = nowNs;
        _reported[slot] = true;
        return true;
    }

    /// <summary>The slot of <paramref name="source"/>: its own, a free one, or else the one reported longest ago.</summary>
    private int Claim(SocketAddress source)
    {
        var free = -1;
        var oldest = -1;
        for (var i = 0; i < Slots; i++)
        {
            if (!_claimed[i])
            {
                free = free < 0 ? i : free;
                continue;
            }

            if (_sources[i].Equals(source))
            {
                return i;
            }

            if (oldest < 0 || _lastReportNs[i] < _lastReportNs[oldest])
            {
                oldest = i;
            }
        }

        var slot = free >= 0 ? free : oldest;
        var remembered = _sources[slot];
        if (source.Size > remembered.Buffer.Length)
        {
            return -1;
        }

        source.Buffer.Span[..source.Size].CopyTo(remembered.Buffer.Span);
        remembered.Size = source.Size;
        _claimed[slot] = true;
        _reported[slot] = false;
        _suppressed[slot] = 0;
        return slot;
    }
}
