namespace Edge.Ingest.Aeron;

/// <summary>Whose status messages move a publication's send limit when several receivers take it (<c>fc=</c>).</summary>
public enum AeronFlowControl
{
    /// <summary>The fastest receiver's (Aeron's default): a slow receiver falls behind and recovers or is lost.</summary>
    Max,

    /// <summary>The slowest live receiver's: the publication waits for it until it has been silent for the receiver timeout.</summary>
    Min,
}
