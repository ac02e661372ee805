using System.Diagnostics;

namespace Edge.Server.Sessions;

/// <summary>A token bucket for one client's commands: a burst of <c>capacity</c>, refilled at <c>perSecond</c>.</summary>
public sealed class CommandRateLimiter
{
    private readonly double _capacity;
    private readonly double _tokensPerTick;
    private double _tokens;
    private long _lastRefill;

    public CommandRateLimiter(int capacity, double perSecond, long now)
    {
        _capacity = capacity;
        _tokens = capacity;
        _tokensPerTick = perSecond / Stopwatch.Frequency;
        _lastRefill = now;
    }

    /// <summary>Takes one token if there is one; <paramref name="now"/> is a Stopwatch timestamp.</summary>
    public bool TryTake(long now)
    {
        if (now > _lastRefill)
        {
            _tokens = Math.Min(_capacity, _tokens + ((now - _lastRefill) * _tokensPerTick));
            _lastRefill = now;
        }

        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
