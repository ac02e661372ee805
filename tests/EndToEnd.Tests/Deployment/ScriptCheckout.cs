using System.Diagnostics;

namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>
/// A scratch directory with the repository's scripts/run, publish and setup, empty sources, and a stand-in
/// <c>dotnet</c> on PATH that prints what a real publish prints and writes a stand-in binary; deleted on Dispose.
/// </summary>
internal sealed class ScriptCheckout : IDisposable
{
    private const string FakeDotnet = """
        #!/usr/bin/env bash
        # Stand-in for "dotnet publish ... -o DIR": the lines a real publish prints, then DIR/edge.
        out=
        while [ $# -gt 0 ]; do
          if [ "$1" = "-o" ]; then out=$2; shift; fi
          shift
        done
        echo "  Determining projects to restore..."
        echo "  Restored $PWD/src/Server/Edge.Server.csproj (in 1.2 sec)."
        echo "  Edge.Protocol -> $PWD/src/Protocol/bin/Release/net10.0/Edge.Protocol.dll"
        echo "  Edge.Ingest -> $PWD/src/Ingest/bin/Release/net10.0/Edge.Ingest.dll"
        echo "  Edge.Server -> $PWD/src/Server/bin/Release/net10.0/linux-x64/edge.dll"
        echo "  Generating native code"
        echo "  Edge.Server -> $PWD/$out/"
        mkdir -p "$out"
        printf '#!/bin/sh\necho "stand-in edge $*"\n' > "$out/edge"
        chmod +x "$out/edge"
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("edge-scripts-").FullName;
    private readonly string _bin;

    public ScriptCheckout()
    {
        var scripts = Path.Combine(RepositoryRoot(), "scripts");
        Directory.CreateDirectory(Path.Combine(_root, "scripts"));
        foreach (var name in new[] { "run", "publish", "setup" })
        {
            File.Copy(Path.Combine(scripts, name), Path.Combine(_root, "scripts", name));
        }

        Directory.CreateDirectory(Path.Combine(_root, "src", "Edge"));
        File.WriteAllText(Path.Combine(_root, "src", "Edge", "Program.cs"), "// stand-in\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />\n");
        _bin = Path.Combine(_root, "bin");
        Directory.CreateDirectory(_bin);
        var dotnet = Path.Combine(_bin, "dotnet");
        File.WriteAllText(dotnet, FakeDotnet.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>A source newer than the binary (a minute ahead, so the file system's time resolution cannot hide it).</summary>
    public void TouchSource() =>
        File.SetLastWriteTimeUtc(Path.Combine(_root, "src", "Edge", "Program.cs"), DateTime.UtcNow.AddMinutes(1));

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] command)
    {
        var start = new ProcessStartInfo("bash", command)
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "run")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("scripts/run not found above the test directory");
    }
}
