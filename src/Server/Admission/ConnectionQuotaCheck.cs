using System.Collections.Concurrent;
using System.Net;
using Edge.Server.Auth;
using Edge.Server.Metrics;
using Edge.Server.Tenants;
using Edge.Server.WebSockets;

namespace Edge.Server.Admission;

/// <summary>
/// Admission check for connection quotas: the tenant must be known (or unknown tenants allowed), under its
/// connection limit, and the source IP under the per-IP limit. The lease gives both slots back on close.
/// </summary>
public sealed class ConnectionQuotaCheck : IWebSocketAdmissionCheck
{
    private static readonly WebSocketRefusal UnknownTenant = new(403, "UNKNOWN_TENANT", "this tenant may not connect");
    private static readonly WebSocketRefusal TenantFull = new(429, "TOO_MANY_CONNECTIONS", "the tenant's connection limit is reached");
    private static readonly WebSocketRefusal AddressFull = new(429, "TOO_MANY_CONNECTIONS", "this address's connection limit is reached");

    private readonly TenantDirectory _tenants;
    private readonly ConcurrentDictionary<IPAddress, int> _byAddress = new();
    private readonly MetricsRegistry _metrics;

    public ConnectionQuotaCheck(TenantDirectory tenants, MetricsRegistry metrics)
    {
        _tenants = tenants;
        _metrics = metrics;
    }

    public WebSocketRefusal? Check(WebSocketAdmissionRequest request, ClientIdentity identity, out IDisposable? lease)
    {
        lease = null;
        var tenant = _tenants.Find(identity.Tenant);
        if (tenant is null)
        {
            Refused("unknown_tenant", identity.Tenant);
            return UnknownTenant;
        }

        if (!tenant.TryAddConnection())
        {
            Refused("tenant_connections", tenant.Name);
            return TenantFull;
        }

        var address = (request.RemoteAddress as IPEndPoint)?.Address ?? IPAddress.None;
        if (!TryAddAddress(address))
        {
            tenant.RemoveConnection();
            Refused("address_connections", tenant.Name);
            return AddressFull;
        }

        lease = new Slot(this, tenant, address);
        return null;
    }

    private bool TryAddAddress(IPAddress address)
    {
        var limit = _tenants.Options.MaxConnectionsPerIp;
        while (true)
        {
            var current = _byAddress.GetOrAdd(address, 0);
            if (current >= limit)
            {
                return false;
            }

            if (_byAddress.TryUpdate(address, current + 1, current))
            {
                return true;
            }
        }
    }

    private void RemoveAddress(IPAddress address)
    {
        while (true)
        {
            var current = _byAddress.GetOrAdd(address, 1);
            if (current <= 1)
            {
                if (_byAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, current)))
                {
                    return;
                }
            }
            else if (_byAddress.TryUpdate(address, current - 1, current))
            {
                return;
            }
        }
    }

    private void Refused(string reason, string tenant) =>
        _metrics.Counter("edge_connections_refused_total", "Connections refused by quota or tenant rules.", MetricLabels.Of("reason", reason, "tenant", tenant)).Increment();

    private sealed class Slot : IDisposable
    {
        private readonly ConnectionQuotaCheck _owner;
        private readonly TenantPolicy _tenant;
        private readonly IPAddress _address;
        private int _released;

        public Slot(ConnectionQuotaCheck owner, TenantPolicy tenant, IPAddress address)
        {
            _owner = owner;
            _tenant = tenant;
            _address = address;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _tenant.RemoveConnection();
                _owner.RemoveAddress(_address);
            }
        }
    }
}
