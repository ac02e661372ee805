using System.Diagnostics.CodeAnalysis;

namespace Edge.Ingest.Ring;

/// <summary>Maps configuration (an enum or a string such as <c>"blocking"</c>) to a wait strategy.</summary>
public static class WaitStrategyFactory
{
    /// <summary>
    /// Blocking: the reference machine has 2 cores, and a spinning consumer would starve the event loops.
    /// </summary>
    public const WaitStrategyKind DefaultKind = WaitStrategyKind.Blocking;

    /// <summary>The names <see cref="TryParse"/> accepts, for error messages and docs.</summary>
    public const string AcceptedNames = "blocking, sleeping, yielding, busy-spin";

    public static IWaitStrategy Create(WaitStrategyKind kind) => kind switch
    {
        WaitStrategyKind.Blocking => new BlockingWaitStrategy(),
        WaitStrategyKind.Sleeping => new SleepingWaitStrategy(),
        WaitStrategyKind.Yielding => new YieldingWaitStrategy(),
        WaitStrategyKind.BusySpin => new BusySpinWaitStrategy(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown wait strategy"),
    };

    /// <summary>Creates the strategy a configuration string names; null or empty means <see cref="DefaultKind"/>.</summary>
    /// <exception cref="ArgumentException">the name is not one of <see cref="AcceptedNames"/>.</exception>
    public static IWaitStrategy Create(string? name) => Create(Parse(name));

    /// <inheritdoc cref="Create(string?)"/>
    public static WaitStrategyKind Parse(string? name) =>
        TryParse(name, out var kind)
            ? kind
            : throw new ArgumentException($"unknown ring wait strategy '{name}'; expected one of: {AcceptedNames}", nameof(name));

    /// <summary>
    /// Case-insensitive; '-', '_' and spaces are ignored (so "busy-spin", "BusySpin" and "busy_spin" all match).
    /// Null, empty or blank means <see cref="DefaultKind"/>.
    /// </summary>
    public static bool TryParse([NotNullWhen(false)] string? name, out WaitStrategyKind kind)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            kind = DefaultKind;
            return true;
        }

        Span<char> buffer = stackalloc char[16];
        var length = 0;
        foreach (var c in name.AsSpan().Trim())
        {
            if (c is '-' or '_' or ' ')
            {
                continue;
            }

            if (length == buffer.Length)
            {
                kind = default;
                return false;
            }

            buffer[length++] = char.ToLowerInvariant(c);
        }

        ReadOnlySpan<char> key = buffer[..length];
        switch (key)
        {
            case "blocking":
                kind = WaitStrategyKind.Blocking;
                return true;
            case "sleeping":
                kind = WaitStrategyKind.Sleeping;
                return true;
            case "yielding":
                kind = WaitStrategyKind.Yielding;
                return true;
            case "busyspin":
                kind = WaitStrategyKind.BusySpin;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
