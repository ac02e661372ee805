using Edge.Server.Auth;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>Real HS256 tokens from <see cref="DevTokenIssuer"/> and a validator that trusts them.</summary>
internal sealed class TestAuth : IDisposable
{
    public TestAuth()
    {
        Options = new AuthOptions { Issuer = "edge-test", Audience = "edge" };
        Issuer = new DevTokenIssuer(Options);
        Options.Keys.Add(Issuer.SigningKey);
        Validator = new JwtValidator(Options);
    }

    public AuthOptions Options { get; }

    public DevTokenIssuer Issuer { get; }

    public JwtValidator Validator { get; }

    public string Token(string subject = "trader-1", string tenant = "tenant-a") => Issuer.Issue(subject, tenant, TimeSpan.FromMinutes(10));

    /// <summary>A well-formed token signed with a key the validator does not trust.</summary>
    public string ForeignToken() => new DevTokenIssuer(Options).Issue("trader-1", "tenant-a", TimeSpan.FromMinutes(10));

    public void Dispose() => Validator.Dispose();
}
