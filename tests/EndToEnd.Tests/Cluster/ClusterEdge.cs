using System.Globalization;
using System.Net;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// One Edge of the cluster: the published binary run in the namespace on a fixed port (HAProxy's configuration names
/// it, and a restart must come back on it), trusting the balancer's address for the PROXY protocol.
/// </summary>
internal sealed class ClusterEdge : IDisposable
{
    private readonly NetworkNamespace _namespace;
    private readonly string _binary;
    private readonly IReadOnlyList<string> _arguments;
    private int _starts;

    public ClusterEdge(NetworkNamespace networkNamespace, string binary, string name, int port, IEnumerable<string> arguments)
    {
        _namespace = networkNamespace;
        _binary = binary;
        Name = name;
        Port = port;
        _arguments = [.. arguments];
    }

    /// <summary>Its server name in HAProxy's configuration (edge1, edge2, …).</summary>
    public string Name { get; }

    public int Port { get; }

    /// <summary>The current process; null before the first start.</summary>
    public ClusterProcess? Process { get; private set; }

    /// <summary>Started and not ended (a stopped process counts as running).</summary>
    public bool IsRunning => Process is { HasExited: false };

    public override string ToString() => Name;

    /// <summary>Starts it (again): the previous process must have ended.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is still running");
        }

        Process?.Dispose();
        _starts++;
        Process = ClusterProcess.Start(
            string.Create(CultureInfo.InvariantCulture, $"{Name} (start {_starts})"),
            _namespace.Command(_binary, _arguments));
    }

    /// <summary>The status of <c>GET /readyz</c> straight to this Edge, or 0 when it does not answer in time.</summary>
    public async Task<int> ReadinessAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{IPAddress.Loopback}:{Port}/readyz"));
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return 0;
        }
    }

    public void Dispose() => Process?.Dispose();
}
