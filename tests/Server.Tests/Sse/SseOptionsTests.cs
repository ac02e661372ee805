using Edge.Server.Configuration;

namespace Edge.Server.Tests.Sse;

public sealed class SseOptionsTests
{
    [Test]
    public void The_sse_section_binds_from_the_command_line_with_the_generated_binder()
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(
            ["--Sse:Enabled", "false", "--Sse:HeartbeatSeconds", "7", "--Sse:RetryMilliseconds", "1500", "--Sse:MaxSymbolsPerStream", "20", "--Sse:Path", "/prices"]));

        Assert.That(options.Sse.Enabled, Is.False);
        Assert.That(options.Sse.HeartbeatSeconds, Is.EqualTo(7));
        Assert.That(options.Sse.RetryMilliseconds, Is.EqualTo(1500));
        Assert.That(options.Sse.MaxSymbolsPerStream, Is.EqualTo(20));
        Assert.That(options.Sse.Path, Is.EqualTo("/prices"));
    }

    [Test]
    public void Defaults_are_on_with_a_15_s_heartbeat()
    {
        var options = new EdgeOptions();

        Assert.That(options.Sse.Enabled, Is.True);
        Assert.That(options.Sse.Path, Is.EqualTo("/market-data/stream"));
        Assert.That(options.Sse.HeartbeatSeconds, Is.EqualTo(15));
        Assert.That(options.Validate().Where(e => e.StartsWith("Sse:", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Validation_names_each_bad_sse_value()
    {
        var options = new EdgeOptions();
        options.Sse.Path = "stream";
        options.Sse.HeartbeatSeconds = 0;
        options.Sse.RetryMilliseconds = -1;
        options.Sse.MaxSymbolsPerStream = 0;

        var errors = string.Join('\n', options.Validate());

        Assert.That(errors, Does.Contain("Sse:Path"));
        Assert.That(errors, Does.Contain("Sse:HeartbeatSeconds"));
        Assert.That(errors, Does.Contain("Sse:RetryMilliseconds"));
        Assert.That(errors, Does.Contain("Sse:MaxSymbolsPerStream"));
    }

    [Test]
    public void The_sse_path_may_not_be_the_websocket_path()
    {
        var options = new EdgeOptions();
        options.Sse.Path = options.WebSocket.Path;

        Assert.That(options.Validate(), Has.Some.Contains("Sse:Path must differ from WebSocket:Path"));
    }
}
