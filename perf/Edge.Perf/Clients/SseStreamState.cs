namespace Edge.Perf.Clients;

/// <summary>Per-connection SSE reading state: HTTP chunk framing and the de-chunked event text not yet parsed.</summary>
internal sealed class SseStreamState
{
    public bool Chunked { get; set; }

    /// <summary>Bytes left in the current chunk's data; -1 while reading a chunk-size line, -2 while reading the CRLF after data.</summary>
    public int ChunkRemaining { get; set; } = -1;

    public long ChunkSize { get; set; }

    public byte[] Events { get; set; } = new byte[4096];

    public int EventsLength { get; set; }
}
