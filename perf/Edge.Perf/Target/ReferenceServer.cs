namespace Edge.Perf.Target;

/// <summary>
/// The C reference server (perf/reference-server): built with gcc when its binary is missing or older than its
/// source, then run as a <see cref="ListeningServerProcess"/>.
/// </summary>
internal static class ReferenceServer
{
    public const string SourceFolder = "perf/reference-server";

    /// <summary>The repository's perf/reference-server (null: not found).</summary>
    public static string? FindSource() => ListeningServerProcess.FindSource(SourceFolder, "build.sh");

    /// <summary>Builds <paramref name="binary"/> with perf/reference-server/build.sh unless it is newer than the source. Throws when it cannot.</summary>
    public static void EnsureBuilt(string binary)
    {
        var source = FindSource();
        if (source is null)
        {
            if (File.Exists(binary))
            {
                return;
            }

            throw new InvalidOperationException($"no reference server at {binary} and no {SourceFolder} to build it from");
        }

        var code = Path.Combine(source, "reference_server.c");
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(code))
        {
            return;
        }

        ListeningServerProcess.RunToEnd("bash", [Path.Combine(source, "build.sh"), Path.GetFullPath(binary)], null,
            "building the reference server failed (gcc; scripts/setup installs it)");
    }

    /// <summary>Starts the binary (pinned with taskset when <paramref name="cpu"/> is given) and waits for its "listening" line.</summary>
    public static Task<ListeningServerProcess> StartAsync(string binary, int? cpu, string logPath) =>
        ListeningServerProcess.StartAsync("the reference server", Path.GetFullPath(binary), [], cpu, logPath, binary);
}
