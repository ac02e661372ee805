using Edge.Server.Auth;
using Edge.Server.WebSockets;

namespace Edge.Server.Admission;

/// <summary>Several leases released together, each once, even if one throws.</summary>
public sealed class LeaseSet : IDisposable
{
    private List<IDisposable>? _leases;

    public LeaseSet(List<IDisposable> leases)
    {
        _leases = leases;
    }

    /// <summary>
    /// Runs every check in order, for WebSocket, SSE and socket.io admission alike. Null when all let the connection
    /// through, with their leases in <paramref name="lease"/> (null, the one lease, or a <see cref="LeaseSet"/>); else
    /// the first refusal, after every lease taken so far is released.
    /// </summary>
    public static WebSocketRefusal? TakeAll(
        IReadOnlyList<IWebSocketAdmissionCheck> checks, WebSocketAdmissionRequest request, ClientIdentity identity, out IDisposable? lease)
    {
        lease = null;
        List<IDisposable>? leases = null;
        foreach (var check in checks)
        {
            var refusal = check.Check(request, identity, out var taken);
            if (refusal is not null)
            {
                taken?.Dispose();
                if (leases is not null)
                {
                    new LeaseSet(leases).Dispose();
                }

                return refusal;
            }

            if (taken is not null)
            {
                (leases ??= []).Add(taken);
            }
        }

        lease = leases is null ? null : leases.Count == 1 ? leases[0] : new LeaseSet(leases);
        return null;
    }

    public void Dispose()
    {
        var leases = Interlocked.Exchange(ref _leases, null);
        if (leases is null)
        {
            return;
        }

        List<Exception>? errors = null;
        foreach (var lease in leases)
        {
            try
            {
                lease.Dispose();
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException(errors);
        }
    }
}
