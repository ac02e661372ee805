using Edge.Server.Auth;
using Edge.Server.Configuration;

namespace Edge.Server.Demo;

/// <summary>
/// Demo mode with no keys configured: accept tokens signed by a fresh development key (issuer <c>edge-demo</c>,
/// audience <c>edge</c> unless configured), so a new user can connect at once with the printed token.
/// </summary>
public static class DemoAuth
{
    public const string DemoIssuer = "edge-demo";
    public const string DemoAudience = "edge";

    /// <summary>Returns the development token issuer, or null when demo is off or real keys are configured.</summary>
    public static DevTokenIssuer? Prepare(EdgeOptions options)
    {
        var auth = options.Auth;
        if (!options.Demo.Enabled || auth.Keys.Count > 0 || auth.JwksFile is not null)
        {
            return null;
        }

        auth.Issuer ??= DemoIssuer;
        auth.Audience ??= DemoAudience;
        var issuer = new DevTokenIssuer(auth);
        auth.Keys.Add(issuer.SigningKey);
        return issuer;
    }
}
