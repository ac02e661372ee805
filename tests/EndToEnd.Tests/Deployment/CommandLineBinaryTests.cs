namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>The commands of the published binary: --version, --help, check-config, healthcheck.</summary>
public sealed class CommandLineBinaryTests
{
    [Test]
    public async Task Version_prints_the_version_and_a_git_commit()
    {
        var (code, output, _) = await EdgeBinary.RunAsync("--version");

        Assert.That(code, Is.Zero);
        // scripts/publish passes the short commit; "unknown" only when built outside git.
        Assert.That(output, Does.Match(@"^edge \d+\.\d+\.\d+ \(commit [0-9a-f]{7,}"));
    }

    [Test]
    public async Task Help_lists_the_commands_and_configuration_sources()
    {
        var (code, output, _) = await EdgeBinary.RunAsync("--help");

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("check-config").And.Contain("healthcheck").And.Contain("EDGE_").And.Contain("appsettings.json"));
    }

    [Test]
    public async Task Check_config_exits_0_when_valid_and_2_when_not()
    {
        var valid = await EdgeBinary.RunAsync("check-config", "--Port", "9000");
        var invalid = await EdgeBinary.RunAsync("check-config", "--Demo:Enabled", "false");

        Assert.That(valid.ExitCode, Is.Zero, valid.Error);
        Assert.That(valid.Output, Does.Contain("\"Port\": 9000").And.Contain("\"Secret\": \"***\""));
        Assert.That(invalid.ExitCode, Is.EqualTo(2));
        Assert.That(invalid.Error, Does.Contain("Auth:Issuer"));
    }

    [TestCase("239.1.2.3:40456")]
    [TestCase("[ff02::1]:40456")]
    public async Task A_multicast_ingest_endpoint_is_refused_by_check_config_and_at_start_with_exit_2(string endpoint)
    {
        var check = await EdgeBinary.RunAsync("check-config", "--Ingest:Endpoint", endpoint);
        var start = await EdgeBinary.RunAsync("--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", endpoint);

        Assert.That(check.ExitCode, Is.EqualTo(2), check.Output + check.Error);
        Assert.That(check.Error, Does.Contain($"configuration error: Ingest:Endpoint {endpoint} is a multicast address"));
        Assert.That(start.ExitCode, Is.EqualTo(2), start.Output + start.Error);
        Assert.That(start.Error, Does.Contain("is a multicast address"));
        Assert.That(start.Output, Does.Not.Contain("listening on"));
    }

    [Test]
    public async Task Healthcheck_exits_0_against_a_running_edge_and_1_once_it_is_gone()
    {
        using var edge = EdgeBinary.Start(["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0"]);
        var port = await edge.ReadPortAsync();

        var up = await EdgeBinary.RunAsync("healthcheck", $"http://127.0.0.1:{port}/healthz");
        var byPort = await EdgeBinary.RunAsync("healthcheck", "--Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(await edge.StopAsync(), Is.Zero);
        var down = await EdgeBinary.RunAsync("healthcheck", $"http://127.0.0.1:{port}/healthz");

        Assert.That(up.ExitCode, Is.Zero, up.Error);
        Assert.That(byPort.ExitCode, Is.Zero, byPort.Error);
        Assert.That(down.ExitCode, Is.EqualTo(1));
    }
}
