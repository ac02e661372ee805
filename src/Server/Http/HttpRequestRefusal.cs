namespace Edge.Server.Http;

/// <summary>A request the decoder refused: the status to answer with and why. The connection is closed after it.</summary>
public sealed class HttpRequestRefusal
{
    public HttpRequestRefusal(int status, string reason)
    {
        Status = status;
        Reason = reason;
    }

    public int Status { get; }

    public string Reason { get; }
}
