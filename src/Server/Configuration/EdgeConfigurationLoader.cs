using Microsoft.Extensions.Configuration;

namespace Edge.Server.Configuration;

/// <summary>Builds Edge's configuration from its sources and binds it with the source-generated binder.</summary>
public static class EdgeConfigurationLoader
{
    public static IConfigurationRoot Build(string[] args)
    {
        var basePath = AppContext.BaseDirectory;
        return new ConfigurationBuilder()
            .SetBasePath(basePath)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("EDGE_")
            .AddCommandLine(args)
            .Build();
    }

    public static EdgeOptions Bind(IConfiguration configuration)
    {
        var options = new EdgeOptions();
        configuration.Bind(options);
        // Demo mode hands out tokens to whoever asks (/demo/token): it listens on loopback only, unless a
        // BindAddress is given explicitly (appsettings.json, EDGE_BindAddress or --BindAddress; a container sets one).
        if (options.Demo.Enabled && configuration[nameof(EdgeOptions.BindAddress)] is null)
        {
            options.BindAddress = EdgeOptions.DemoBindAddress;
        }

        return options;
    }
}
