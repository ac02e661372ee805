using Edge.Server.Configuration;
using Edge.Server.WebSockets;

namespace Edge.Server.Tests.WebSockets;

public sealed class WebSocketOptionsTests
{
    [Test]
    public void Defaults_are_valid_and_the_echo_endpoint_is_off()
    {
        var options = new WebSocketOptions();
        var errors = new List<string>();

        options.Validate(errors);

        Assert.That(errors, Is.Empty);
        Assert.That(options.Path, Is.EqualTo("/market-data"));
        Assert.That(options.EchoPath, Is.Null);
        Assert.That(options.MaxMessageBytes, Is.EqualTo(64 * 1024));
        Assert.That(options.HandshakeTimeoutSeconds, Is.EqualTo(5));
        Assert.That(options.AllowedOrigins, Is.Empty);
    }

    [Test]
    public void The_section_binds_from_the_command_line_including_the_origin_list()
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(
        [
            "--WebSocket:EchoPath", "/echo", "--WebSocket:MaxMessageBytes", "16384", "--WebSocket:HandshakeTimeoutSeconds", "2",
            "--WebSocket:AllowedOrigins:0", "https://a.example.com", "--WebSocket:AllowedOrigins:1", "http://localhost:3000",
        ]));

        Assert.That(options.WebSocket.EchoPath, Is.EqualTo("/echo"));
        Assert.That(options.WebSocket.MaxMessageBytes, Is.EqualTo(16384));
        Assert.That(options.WebSocket.HandshakeTimeoutSeconds, Is.EqualTo(2));
        Assert.That(options.WebSocket.AllowedOrigins, Is.EqualTo(new[] { "https://a.example.com", "http://localhost:3000" }));
        var errors = new List<string>();
        options.WebSocket.Validate(errors);
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void Validation_names_each_bad_value()
    {
        var options = new EdgeOptions();
        options.WebSocket.Path = "market-data";
        options.WebSocket.EchoPath = "/echo?x";
        options.WebSocket.MaxMessageBytes = 10;
        options.WebSocket.HandshakeTimeoutSeconds = 0;
        options.WebSocket.CloseTimeoutSeconds = 1000;
        options.WebSocket.AllowedOrigins = ["https://ok.example.com", "https://app.example.com/path", "app.example.com"];

        var errors = new List<string>();
        options.WebSocket.Validate(errors);

        Assert.That(errors, Has.Count.EqualTo(7));
        Assert.That(errors, Has.Some.StartsWith("WebSocket:Path"));
        Assert.That(errors, Has.Some.StartsWith("WebSocket:EchoPath"));
        Assert.That(errors, Has.Some.StartsWith("WebSocket:MaxMessageBytes"));
        Assert.That(errors, Has.Some.StartsWith("WebSocket:HandshakeTimeoutSeconds"));
        Assert.That(errors, Has.Some.StartsWith("WebSocket:CloseTimeoutSeconds"));
        Assert.That(errors.Count(e => e.StartsWith("WebSocket:AllowedOrigins", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public void The_echo_path_may_not_shadow_the_market_data_path()
    {
        var options = new WebSocketOptions { EchoPath = "/market-data" };
        var errors = new List<string>();

        options.Validate(errors);

        Assert.That(errors, Has.One.StartsWith("WebSocket:EchoPath"));
    }
}
