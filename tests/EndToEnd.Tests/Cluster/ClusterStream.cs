using Edge.Ingest.Aeron;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// A price stream set up in a namespace: each Edge's ingest settings and the publisher's publications. Disposing it
/// closes the publications (end of stream to the Edges still there).
/// </summary>
internal abstract class ClusterStream : IDisposable
{
    /// <summary>What every price is offered to: one publication per Edge (unicast), or one for all (multicast).</summary>
    public abstract IReadOnlyList<AeronPublisher> Publications { get; }

    /// <summary>Edge <paramref name="instance"/>'s ingest configuration, as command-line arguments.</summary>
    public abstract IReadOnlyList<string> IngestArguments(int instance);

    /// <summary>
    /// Whether the publisher counts Edge <paramref name="instance"/> as a live receiver (its status messages arrive),
    /// or null where the channel cannot tell one receiver from another.
    /// </summary>
    public abstract bool? Reaches(int instance);

    public void Dispose()
    {
        // In parallel: each waits for its receiver's end-of-stream acknowledgement, or its linger.
        Parallel.ForEach(Publications, static publication => publication.Dispose());
    }
}
