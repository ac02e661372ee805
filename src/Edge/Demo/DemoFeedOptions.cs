namespace Edge.Server.Demo;

/// <summary>Demo mode (section <c>Demo</c>): the simulated upstream and the demo page, on by default so a new user sees live prices at once.</summary>
public sealed class DemoFeedOptions
{
    /// <summary>Run the in-process publisher that feeds Edge's own Aeron receiver over loopback UDP.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Price updates per second across all demo instruments.</summary>
    public int UpdatesPerSecond { get; set; } = 200;

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

        return errors;
    }
}
