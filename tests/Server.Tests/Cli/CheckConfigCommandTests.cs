using Edge.EndToEnd.Tests.Deployment;
using Edge.Server.Cli;

namespace Edge.Server.Tests.Cli;

public sealed class CheckConfigCommandTests
{
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0xMjM0NTY3ODkw";

    [Test]
    public void A_valid_configuration_exits_0_and_prints_the_effective_values_with_the_secret_masked()
    {
        var (code, output, error) = Run(
            "--Demo:Enabled", "false", "--Port", "9123", "--Auth:Issuer", "iss", "--Auth:Audience", "aud",
            "--Auth:Keys:0:Algorithm", "HS256", "--Auth:Keys:0:Secret", Secret);

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("\"Port\": 9123"));
        Assert.That(output, Does.Contain("\"RingCapacity\": 8192"), "defaults are printed too");
        Assert.That(output, Does.Contain("\"Secret\": \"***\""));
        Assert.That(output, Does.Not.Contain(Secret));
        Assert.That(output, Does.Contain("configuration: valid"));
    }

    [Test]
    public void The_metrics_keys_are_checked_printed_and_the_metrics_token_masked()
    {
        string[] valid = ["--Demo:Enabled", "false", "--Port", "9123", "--Auth:Issuer", "iss", "--Auth:Audience", "aud", "--Auth:Keys:0:Algorithm", "HS256", "--Auth:Keys:0:Secret", Secret];

        var (code, output, error) = Run([.. valid, "--Metrics:Port", "9124", "--Metrics:BearerToken", "scrape-0123456789abcdef"]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("\"Port\": 9124").And.Contain("\"BindAddress\": \"127.0.0.1\""));
        Assert.That(output, Does.Not.Contain("scrape-0123456789abcdef"));

        (code, _, error) = Run([.. valid, "--Metrics:Port", "9123", "--Metrics:BindAddress", "localhost", "--Metrics:BearerToken", "short"]);
        Assert.That(code, Is.EqualTo(CheckConfigCommand.Invalid));
        Assert.That(error, Does.Contain("Metrics:Port must differ from Port").And.Contain("Metrics:BindAddress must be an IP address")
            .And.Contain("Metrics:BearerToken: the token must be at least 16 characters"));

        AssertInvalid("Metrics:BearerTokenFile: cannot read '/nonexistent/metrics-token'",
            [.. valid, "--Metrics:BearerTokenFile", "/nonexistent/metrics-token"]);

        AssertInvalid("Metrics:BearerToken and Metrics:BearerTokenFile are both set",
            [.. valid, "--Metrics:BearerToken", "scrape-0123456789abcdef", "--Metrics:BearerTokenFile", "/tmp/x"]);
    }

    [Test]
    public void An_unsupported_ingest_channel_exits_2_with_the_reason()
    {
        AssertInvalid("Ingest:Channel: endpoint=239.1.1.2:40456: a multicast data group's last octet must be odd",
            "--Ingest:Channel", "aeron:udp?endpoint=239.1.1.2:40456|interface=127.0.0.1");
    }

    [Test]
    public void A_real_driver_channel_with_host_names_and_keys_Edge_ignores_is_valid()
    {
        var (code, output, error) = Run(
            "--Demo:Enabled", "false", "--Auth:Issuer", "iss", "--Auth:Audience", "aud", "--Auth:Keys:0:Algorithm", "HS256", "--Auth:Keys:0:Secret", Secret,
            "--Ingest:Channel", "aeron:udp?endpoint=localhost:40457|control=localhost:40456|control-mode=dynamic|alias=md|reliable=true|tether=false|sparse=true|interface=127.0.0.1");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("configuration: valid"));

        AssertInvalid("control=no-such-host.invalid:40456 is not address:port: host name 'no-such-host.invalid'",
            "--Ingest:Channel", "aeron:udp?endpoint=127.0.0.1:40457|control=no-such-host.invalid:40456");
    }

    [Test]
    public void An_invalid_value_exits_2_and_names_the_key()
    {
        AssertInvalid("Port must be between 0 and 65535", "--Port", "70000");
    }

    [Test]
    public void The_receive_wait_is_printed_and_an_unknown_one_exits_2_naming_the_key()
    {
        string[] valid = ["--Demo:Enabled", "false", "--Auth:Issuer", "iss", "--Auth:Audience", "aud", "--Auth:Keys:0:Algorithm", "HS256", "--Auth:Keys:0:Secret", Secret];

        var (code, output, error) = Run([.. valid, "--Ingest:ReceiveWait", "yielding"]);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("\"ReceiveWait\": \"yielding\""));

        (_, output, _) = Run(valid);
        Assert.That(output, Does.Contain("\"ReceiveWait\": \"blocking\""), "the default is printed too");

        AssertInvalid("Ingest:ReceiveWait must be one of blocking, yielding, busy-spin (got 'spin')",
            [.. valid, "--Ingest:ReceiveWait", "spin"]);
    }

    [Test]
    public void A_value_of_the_wrong_type_exits_2()
    {
        AssertInvalid("configuration error", "--Port", "eighty");
    }

    [Test]
    public void A_missing_signing_key_file_exits_2_and_names_the_key()
    {
        AssertInvalid(
            "Auth:Keys:0",
            "--Demo:Enabled", "false", "--Auth:Issuer", "iss", "--Auth:Audience", "aud",
            "--Auth:Keys:0:Algorithm", "RS256", "--Auth:Keys:0:PemFile", "/nonexistent/key.pem");
    }

    [Test]
    public void Tls_with_a_missing_certificate_exits_2()
    {
        AssertInvalid("Tls: cannot load the certificate",
            "--Tls:Enabled", "true", "--Tls:CertificatePath", "/nonexistent/edge.crt", "--Tls:KeyPath", "/nonexistent/edge.key");
    }

    [Test]
    public void Tls_with_a_key_that_belongs_to_another_certificate_exits_2()
    {
        using var certificates = new TestCertificates();
        var first = certificates.Write("first");
        var second = certificates.Write("second");

        AssertInvalid("Tls:", "--Tls:Enabled", "true", "--Tls:CertificatePath", first.Certificate, "--Tls:KeyPath", second.Key);
    }

    [Test]
    public void Tls_with_a_matching_certificate_and_key_is_valid()
    {
        using var certificates = new TestCertificates();
        var pair = certificates.Write("edge");

        var (code, output, error) = Run("--Tls:Enabled", "true", "--Tls:CertificatePath", pair.Certificate, "--Tls:KeyPath", pair.Key);

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain(pair.Certificate));
    }

    [Test]
    public async Task Unknown_commands_exit_2_and_configuration_arguments_run_the_server()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.That(await EdgeCommandLine.TryRunCommandAsync(["frobnicate"], output, error), Is.EqualTo(2));
        Assert.That(await EdgeCommandLine.TryRunCommandAsync(["--Port", "9000"], output, error), Is.Null);
        Assert.That(await EdgeCommandLine.TryRunCommandAsync(["serve", "--Port", "9000"], output, error), Is.Null);
        Assert.That(EdgeCommandLine.ServerArguments(["serve", "--Port", "9000"]), Is.EqualTo(new[] { "--Port", "9000" }));
        Assert.That(await EdgeCommandLine.TryRunCommandAsync([], output, error), Is.Null);
    }

    [Test]
    public async Task Help_and_version_exit_0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.That(await EdgeCommandLine.TryRunCommandAsync(["--help"], output, error), Is.EqualTo(0));
        Assert.That(await EdgeCommandLine.TryRunCommandAsync(["--version"], output, error), Is.EqualTo(0));
        Assert.That(output.ToString(), Does.Contain("EDGE_Ingest__Endpoint").And.Contain("check-config").And.Contain("edge " + BuildInfo.Version));
        Assert.That(BuildInfo.Version, Does.Match(@"^\d+\.\d+\.\d+"));
    }

    /// <summary>check-config exits 2 (invalid) with <paramref name="reason"/> in what it writes to standard error.</summary>
    private static void AssertInvalid(string reason, params string[] arguments)
    {
        var (code, _, error) = Run(arguments);
        Assert.That(code, Is.EqualTo(CheckConfigCommand.Invalid));
        Assert.That(error, Does.Contain(reason));
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CheckConfigCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
