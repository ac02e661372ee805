using System.Reflection;

namespace Edge.Server.Cli;

/// <summary>
/// The version stamped by the build: <c>InformationalVersion</c> is <c>VERSION+COMMIT</c> when MSBuild knew the git
/// commit (<c>SourceRevisionId</c>, from <c>git rev-parse</c> or passed by scripts/publish and the Dockerfile).
/// </summary>
public static class BuildInfo
{
    static BuildInfo()
    {
        var informational = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        Version = plus < 0 ? informational : informational[..plus];
        Commit = plus < 0 || plus == informational.Length - 1 ? "unknown" : informational[(plus + 1)..];
    }

    /// <summary>The product version, e.g. <c>0.1.0</c>.</summary>
    public static string Version { get; }

    /// <summary>The short git commit the binary was built from, or <c>unknown</c>.</summary>
    public static string Commit { get; }

    /// <summary>The line <c>edge --version</c> prints.</summary>
    public static string Describe() =>
        $"edge {Version} (commit {Commit}, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})";
}
