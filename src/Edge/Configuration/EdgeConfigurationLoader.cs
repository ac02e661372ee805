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
        return options;
    }
}
