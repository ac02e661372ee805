using Edge.Ingest.Aeron;

namespace Edge.Server.Demo;

/// <summary>Demo mode (section <c>Demo</c>): the simulated upstream and the demo page, on by default so a new user sees live prices at once.</summary>
public sealed class DemoFeedOptions
{
    /// <summary>Run the in-process publisher that feeds Edge's own Aeron receiver over loopback UDP.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Price updates per second across all demo instruments.</summary>
    public int UpdatesPerSecond { get; set; } = 200;

    /// <summary>
    /// The Aeron publication channel the demo feed publishes on (<see cref="AeronChannel"/>), e.g.
    /// <c>aeron:udp?endpoint=239.1.1.1:40456|interface=127.0.0.1|fc=min,t:2s</c> (multicast) or
    /// <c>aeron:udp?control=127.0.0.1:40460|control-mode=dynamic</c> (dynamic MDC), so one Edge's demo feed can
    /// feed several. Unset: this Edge's own receiver, the way <c>Ingest</c> listens.
    /// </summary>
    public string? Channel { get; set; }

    /// <summary>Seed of the random walk; 0 picks one from the clock.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Serve the demo page at <c>/</c> (and its files under <c>/demo/</c>). Unset: on exactly when
    /// <see cref="Enabled"/> is. The page's development tokens (<c>/demo/token</c>) exist only in demo mode.
    /// </summary>
    public bool? Page { get; set; }

    /// <summary>Whether the demo page is served: <see cref="Page"/>, or <see cref="Enabled"/> when it is unset.</summary>
    public bool PageEnabled => Page ?? Enabled;

    public List<string> Validate()
    {
        var errors = new List<string>();
        if (UpdatesPerSecond is < 1 or > 1_000_000)
        {
            errors.Add($"Demo:UpdatesPerSecond must be between 1 and 1000000 (got {UpdatesPerSecond}).");
        }

        if (!string.IsNullOrWhiteSpace(Channel) && !AeronChannel.TryParse(Channel, AeronChannelUse.Publication, out _, out var error))
        {
            errors.Add($"Demo:Channel: {error}.");
        }

        return errors;
    }

    /// <summary>The publication for a multicast subscription channel: the same group, interface and TTL.</summary>
    public static string MulticastPublication(AeronChannel subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var channel = "aeron:udp?endpoint=" + subscription.Endpoint;
        if (subscription.InterfaceAddress is { } address)
        {
            channel += "|interface=" + address + (subscription.InterfacePrefixLength == 32 ? string.Empty : "/" + subscription.InterfacePrefixLength);
        }

        return subscription.Ttl is { } ttl ? channel + "|ttl=" + ttl : channel;
    }
}
