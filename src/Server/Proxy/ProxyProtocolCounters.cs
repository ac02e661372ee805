using Edge.Server.Metrics;

namespace Edge.Server.Proxy;

/// <summary>PROXY protocol headers by outcome (<c>edge_proxy_protocol_total{result=...}</c>).</summary>
public sealed class ProxyProtocolCounters
{
    private const string Name = "edge_proxy_protocol_total";
    private const string Help = "PROXY protocol outcomes: accepted headers by version, and refused connections by reason.";

    public ProxyProtocolCounters(MetricsRegistry registry)
    {
        AcceptedV1 = registry.Counter(Name, Help, "result=\"accepted_v1\"");
        AcceptedV2 = registry.Counter(Name, Help, "result=\"accepted_v2\"");
        AcceptedLocal = registry.Counter(Name, Help, "result=\"accepted_local\"");
        Untrusted = registry.Counter(Name, Help, "result=\"refused_untrusted\"");
        Missing = registry.Counter(Name, Help, "result=\"refused_missing\"");
        Malformed = registry.Counter(Name, Help, "result=\"refused_malformed\"");
    }

    /// <summary>v1 headers from a trusted balancer naming a TCP4/TCP6 client.</summary>
    public Counter AcceptedV1 { get; }

    /// <summary>v2 PROXY headers from a trusted balancer naming a TCP4/TCP6 client.</summary>
    public Counter AcceptedV2 { get; }

    /// <summary>Headers naming no client (v2 LOCAL health checks, v1 UNKNOWN, v2 UNSPEC): the balancer's own address stands.</summary>
    public Counter AcceptedLocal { get; }

    /// <summary>A PROXY header from an address not in Server:TrustedProxies.</summary>
    public Counter Untrusted { get; }

    /// <summary>A trusted balancer's connection that did not start with a header.</summary>
    public Counter Missing { get; }

    /// <summary>A header that was malformed or too long.</summary>
    public Counter Malformed { get; }
}
