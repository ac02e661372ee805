using Edge.Ingest.Aeron;
using Edge.Server.Configuration;

namespace Edge.Server.Tests;

public sealed class EdgeOptionsTests
{
    [Test]
    public void Port_comes_from_the_command_line_or_the_EDGE_PORT_variable()
    {
        var fromArgs = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--port", "9191"]));
        Assert.That(fromArgs.Port, Is.EqualTo(9191));

        Environment.SetEnvironmentVariable("EDGE_PORT", "9292");
        try
        {
            var fromEnvironment = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build([]));
            var argsWin = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--port", "9393"]));
            Assert.That(fromEnvironment.Port, Is.EqualTo(9292));
            Assert.That(argsWin.Port, Is.EqualTo(9393), "the command line overrides the environment");
        }
        finally
        {
            Environment.SetEnvironmentVariable("EDGE_PORT", null);
        }
    }

    [Test]
    public void Validation_names_each_bad_value()
    {
        var options = new EdgeOptions { Port = 70000, BindAddress = "not-an-ip", EventLoops = -1, DrainTimeoutSeconds = -5 };

        var errors = options.Validate();

        Assert.That(errors, Has.Some.Contains("Port must be"));
        Assert.That(errors, Has.Some.Contains("BindAddress must be"));
        Assert.That(errors, Has.Some.Contains("EventLoops must be"));
        Assert.That(errors, Has.Some.Contains("DrainTimeoutSeconds must"));
        var defaults = new EdgeOptions();
        Assert.That(defaults.Validate(), Has.Some.Contains("Auth:"), "no keys and no issuer: refused");
        Demo.DemoAuth.Prepare(defaults);
        Assert.That(defaults.Validate(), Is.Empty, "the defaults are valid once demo mode made its development key");
    }

    [TestCase(new string[0], true)]
    [TestCase(new[] { "--Demo:Enabled", "false" }, false)]
    [TestCase(new[] { "--Demo:Enabled", "false", "--Demo:Page", "true" }, true)]
    [TestCase(new[] { "--Demo:Page", "false" }, false)]
    public void The_demo_page_follows_demo_mode_unless_Demo_Page_says_otherwise(string[] args, bool served)
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(args));

        Assert.That(options.Demo.PageEnabled, Is.EqualTo(served));
    }
    [TestCase(null, AeronReceiveWait.Blocking)]
    [TestCase("blocking", AeronReceiveWait.Blocking)]
    [TestCase("yielding", AeronReceiveWait.Yielding)]
    [TestCase("Yielding", AeronReceiveWait.Yielding)]
    [TestCase("busy-spin", AeronReceiveWait.BusySpin)]
    [TestCase("BusySpin", AeronReceiveWait.BusySpin)]
    public void Ingest_ReceiveWait_reaches_the_receiver_options(string? value, AeronReceiveWait expected)
    {
        string[] args = value is null ? [] : ["--Ingest:ReceiveWait", value];
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(args));

        Assert.That(options.Ingest.Validate(), Is.Empty);
        Assert.That(options.Ingest.ToReceiverOptions().ReceiveWait, Is.EqualTo(expected));
    }

    [Test]
    public void Ingest_ReceiveWait_from_the_environment()
    {
        Environment.SetEnvironmentVariable("EDGE_Ingest__ReceiveWait", "yielding");
        try
        {
            var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build([]));
            Assert.That(options.Ingest.ToReceiverOptions().ReceiveWait, Is.EqualTo(AeronReceiveWait.Yielding));
        }
        finally
        {
            Environment.SetEnvironmentVariable("EDGE_Ingest__ReceiveWait", null);
        }
    }

    [TestCase("spin")]
    [TestCase("sleeping")]
    [TestCase("fast")]
    public void An_unknown_Ingest_ReceiveWait_is_a_configuration_error_naming_the_key(string value)
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--Ingest:ReceiveWait", value]));

        Assert.That(options.Validate(), Has.Some.Contains("Ingest:ReceiveWait must be one of blocking, yielding, busy-spin").And.Contains(value));
        Assert.Throws<InvalidOperationException>(() => options.Ingest.ToReceiverOptions());
    }

    [Test]
    public void An_unknown_FanOut_RingWaitStrategy_is_a_configuration_error_naming_the_key()
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--FanOut:RingWaitStrategy", "spinny"]));

        Assert.That(options.Validate(), Has.Some.Contains("FanOut:RingWaitStrategy must be one of").And.Contains("spinny"));
        var yielding = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--FanOut:RingWaitStrategy", "yielding"]));
        Assert.That(yielding.FanOut.Validate(), Is.Empty);
    }
}
