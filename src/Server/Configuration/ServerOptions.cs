using Edge.Server.Proxy;

namespace Edge.Server.Configuration;

/// <summary>The connection layer in front of HTTP (section <c>Server</c>): which L4 balancers may send a PROXY protocol header.</summary>
public sealed class ServerOptions
{
    /// <summary>
    /// Addresses (<c>10.0.0.5</c>) or CIDR prefixes (<c>10.0.0.0/24</c>, <c>fd00::/64</c>) of balancers that send the
    /// PROXY protocol (v1 or v2). A connection from one of them must start with a header and counts as the client it
    /// names; anyone else's header is refused. Empty: no balancer is trusted.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public void Validate(List<string> errors)
    {
        foreach (var entry in TrustedProxies)
        {
            if (!TrustedProxyList.TryParseEntry(entry, out _, out _))
            {
                errors.Add($"Server:TrustedProxies entries must be IP addresses or CIDR prefixes like 10.0.0.0/24 (got '{entry}').");
            }
        }
    }
}
