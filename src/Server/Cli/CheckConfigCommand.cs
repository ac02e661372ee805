using Edge.Server.Configuration;
using Edge.Server.Demo;

namespace Edge.Server.Cli;

/// <summary>
/// <c>edge check-config</c>: reads the configuration exactly as the server would, validates every value and loads
/// every file it names (signing keys, JWKS, TLS certificate and key), then prints the effective configuration with
/// secrets masked. Exit code 0 when the server would start with it, 2 otherwise.
/// </summary>
public static class CheckConfigCommand
{
    public const int Invalid = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        EdgeOptions options;
        try
        {
            options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(args));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or IOException or System.Text.Json.JsonException)
        {
            // A value of the wrong type (e.g. Port=abc) or an unreadable appsettings.json fails the binding itself.
            error.WriteLine("configuration error: " + ex.Message);
            return Invalid;
        }

        var devKey = DemoAuth.Prepare(options) is not null;
        var errors = options.Validate();
        output.WriteLine(EffectiveConfiguration.Render(options));
        if (devKey)
        {
            output.WriteLine("note: demo mode without keys: Auth:Keys:0 is a development key made at start (set Demo:Enabled=false in production)");
        }

        foreach (var problem in errors)
        {
            error.WriteLine("configuration error: " + problem);
        }

        output.WriteLine(errors.Count == 0 ? "configuration: valid" : $"configuration: INVALID ({errors.Count} problem(s))");
        return errors.Count == 0 ? 0 : Invalid;
    }
}
