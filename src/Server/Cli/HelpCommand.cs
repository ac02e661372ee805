namespace Edge.Server.Cli;

/// <summary><c>edge --help</c>: usage, commands and where configuration comes from.</summary>
public static class HelpCommand
{
    public const string Text = """
        Edge: market-data edge server (Aeron UDP in, WebSocket out).

        Usage:
          edge [--Key value ...]             run the server
          edge check-config [--Key value ...] validate the configuration and its key/certificate files, print the
                                             effective configuration (secrets masked); exit 0 valid, 2 invalid
          edge healthcheck [URL]             GET URL (default http://127.0.0.1:<Port>/healthz, https when Tls:Enabled);
                                             exit 0 on 200, 1 otherwise (for container health checks)
          edge --version                     print the version and the git commit of the build
          edge --help                        print this text

        Configuration, each source overriding the one before (keys are case-insensitive):
          1. appsettings.json next to the binary, then in the working directory
          2. environment variables EDGE_<Key>, sections joined by two underscores:
               EDGE_Port=9000  EDGE_Ingest__Endpoint=0.0.0.0:40456  EDGE_Tls__Enabled=true
          3. command-line keys, sections joined by a colon:
               --Port 9000  --Ingest:Endpoint 0.0.0.0:40456  --Demo:Enabled false

        Common keys: Port (8080), BindAddress (0.0.0.0; in demo mode 127.0.0.1 unless set), Ingest:Endpoint
        (127.0.0.1:40456, unicast), Ingest:StreamId (1001), Demo:Enabled (true: set false in production), Auth:Issuer,
        Auth:Audience, Auth:Keys:N:..., Auth:JwksFile, Tls:Enabled, Tls:CertificatePath, Tls:KeyPath,
        Log:Format (auto = text on a terminal, json otherwise; or json, text), Log:Level.
        Every key, its default and its environment variable: docs/operations.md.

        Signals: SIGTERM/SIGINT drain clients (close 1001) and exit 0; SIGHUP reloads the TLS certificate.
        Under systemd (Type=notify) Edge sends READY=1, STATUS=, WATCHDOG=1 and STOPPING=1 to NOTIFY_SOCKET.
        Exit codes: 0 stopped cleanly, 1 failed to start (e.g. "edge: cannot start: port 8080 is in use"),
        2 invalid configuration or usage.
        """;

    public static int Run(TextWriter output)
    {
        output.WriteLine(Text);
        return 0;
    }
}
