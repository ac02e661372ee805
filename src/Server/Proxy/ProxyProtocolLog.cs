using Microsoft.Extensions.Logging;

namespace Edge.Server.Proxy;

/// <summary>Source-generated log messages for refused PROXY protocol connections.</summary>
internal static partial class ProxyProtocolLog
{
    /// <summary>A trusted balancer sent no header or a bad one: a misconfiguration worth a warning.</summary>
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "PROXY protocol: connection from trusted proxy {Peer} refused: {Reason}")]
    public static partial void TrustedRefused(ILogger logger, string peer, string reason);

    /// <summary>Anyone else's header (Information: anyone can send these, so they must not flood the warnings).</summary>
    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "PROXY protocol: header from untrusted {Peer} refused (not in Server:TrustedProxies)")]
    public static partial void UntrustedRefused(ILogger logger, string peer);
}
