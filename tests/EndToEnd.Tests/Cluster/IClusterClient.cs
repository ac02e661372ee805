namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// A client of the cluster as the test sees it: a raw WebSocket client (<see cref="ClusterClient"/>) or the .NET
/// SDK (<see cref="SdkClusterClient"/>), both connecting through HAProxy from their own address in the namespace.
/// </summary>
internal interface IClusterClient : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Connections that got as far as <c>connected</c>.</summary>
    int Connections { get; }

    /// <summary>The current connection's address (<c>ip:port</c>, as HAProxy's <c>show sess</c> names it), or null.</summary>
    string? Address { get; }

    /// <summary>Connected, and subscribed with prices for every symbol.</summary>
    bool Subscribed { get; }

    /// <summary>Prices received so far, over every connection.</summary>
    long Prices { get; }

    /// <summary>Checks that failed: a price that is not the publisher's, out of order, an error.</summary>
    IReadOnlyList<string> Violations { get; }

    /// <summary>How each ended connection ended: <c>closed CODE REASON</c> after a close frame, else the error.</summary>
    IReadOnlyList<string> Ends { get; }

    void Start();

    /// <summary>Connected, and the last price delivered is exactly <paramref name="last"/> for every symbol.</summary>
    bool IsAt(IReadOnlyDictionary<string, ulong> last);

    string Describe();
}
