namespace Edge.Server.Proxy;

/// <summary>What <see cref="ProxyHeaderParser"/> made of the first bytes of a connection.</summary>
public enum ProxyHeaderStatus
{
    /// <summary>Could still be a PROXY header: wait for more bytes.</summary>
    Incomplete,

    /// <summary>Does not start with either signature (an ordinary client's bytes).</summary>
    Absent,

    /// <summary>A complete, valid header.</summary>
    Parsed,

    /// <summary>Starts with a signature but is malformed or too long.</summary>
    Invalid,
}
