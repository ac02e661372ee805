namespace Edge.Ingest.Tests.Aeron;

/// <summary>Keeps every control frame the dispatcher sends, with its destination.</summary>
internal sealed class RecordingControlTransport : IAeronControlTransport
{
    public List<(byte[] Frame, SocketAddress Destination)> Sent { get; } = [];

    public bool Send(ReadOnlySpan<byte> frame, SocketAddress destination)
    {
        var copy = new SocketAddress(destination.Family, destination.Size);
        destination.Buffer.Span[..destination.Size].CopyTo(copy.Buffer.Span);
        Sent.Add((frame.ToArray(), copy));
        return true;
    }

    public byte[][] Frames() => Sent.Select(s => s.Frame).ToArray();

    public void Clear() => Sent.Clear();
}
