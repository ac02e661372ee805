namespace Edge.Server.Cli;

/// <summary>
/// Picks what the command line asks for: a command (<c>--help</c>, <c>--version</c>, <c>check-config</c>,
/// <c>healthcheck</c>) or, when the first argument is none of them, the server with the arguments as configuration keys.
/// </summary>
public static class EdgeCommandLine
{
    /// <summary>Runs the command the arguments name and returns its exit code; null means "run the server".</summary>
    public static async Task<int?> TryRunCommandAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            return null;
        }

        var rest = args[1..];
        switch (args[0])
        {
            case "--help" or "-h" or "-?" or "help":
                return HelpCommand.Run(output);
            case "--version" or "-V" or "version":
                output.WriteLine(BuildInfo.Describe());
                return 0;
            case "check-config":
                return CheckConfigCommand.Run(rest, output, error);
            case "healthcheck":
                return await HealthcheckCommand.RunAsync(rest, output, error);
            case "serve":
                // Explicit form of the default; the server reads the remaining arguments.
                return null;
            default:
                if (!args[0].StartsWith('-') && !args[0].Contains('='))
                {
                    await error.WriteLineAsync($"edge: unknown command '{args[0]}' (edge --help lists the commands)");
                    return 2;
                }

                return null;
        }
    }

    /// <summary>The configuration arguments: without a leading <c>serve</c>.</summary>
    public static string[] ServerArguments(string[] args) => args.Length > 0 && args[0] == "serve" ? args[1..] : args;
}
