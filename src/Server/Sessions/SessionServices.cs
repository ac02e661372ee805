using Edge.Ingest.Symbols;
using Edge.Protocol.Client;
using Edge.Server.Auth;
using Edge.Server.FanOut;
using Edge.Server.Metrics;
using Edge.Server.Tenants;
using Edge.Server.Transport;

namespace Edge.Server.Sessions;

/// <summary>What every market-data session shares: the fan-out, the names, the tenants, the validator, counters.</summary>
public sealed class SessionServices
{
    public SessionServices(
        SessionOptions options,
        FanOutService fanOut,
        NameTable symbols,
        TenantDirectory tenants,
        JwtValidator validator,
        MetricsRegistry metrics,
        SymbolAdmission? symbolAdmission = null)
    {
        Options = options;
        FanOut = fanOut;
        Symbols = symbols;
        SymbolAdmission = symbolAdmission ?? new SymbolAdmission(symbols, listedOnly: false, symbols.Capacity);
        Tenants = tenants;
        Validator = validator;
        CommandLimits = new ClientCommandLimits { MaxMessageBytes = options.MaxCommandBytes, MaxSymbolsPerRequest = options.MaxSymbolsPerRequest };
        Counters = new SessionCounters(metrics);
    }

    public SessionOptions Options { get; }

    public FanOutService FanOut { get; }

    public NameTable Symbols { get; }

    /// <summary>Which symbols a subscribe may name, pending ones (no price yet) included.</summary>
    public SymbolAdmission SymbolAdmission { get; }

    public TenantDirectory Tenants { get; }

    public JwtValidator Validator { get; }

    public ClientCommandLimits CommandLimits { get; }

    public SessionCounters Counters { get; }

    /// <summary>Where a session reports an exception that is not the transport's (a bug): null in tests that need none.</summary>
    public ErrorLog? Errors { get; init; }

    /// <summary>Records <paramref name="exception"/> unless it is the connection failing (reset, broken pipe).</summary>
    public void RecordSessionError(string source, Exception exception)
    {
        if (!TransportFailure.Is(exception))
        {
            Errors?.Record(source, exception);
        }
    }
}
