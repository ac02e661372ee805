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
        Server.Demo.DemoAuth.Prepare(defaults);
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

    [TestCase(null, 1, "inline", null, true)]
    [TestCase(null, 2, "inline", null, false)]
    [TestCase("auto", 1, "inline", null, true)]
    [TestCase("auto", 2, "inline", null, false)]
    [TestCase("auto", 1, "thread", null, false)]
    [TestCase("auto", 1, "inline", "yielding", false)]
    [TestCase("Loop", 4, "inline", null, true)]
    [TestCase("thread", 1, "inline", null, false)]
    public void Ingest_ReceiveOn_decides_whether_event_loop_0_receives(string? value, int loops, string frameStage, string? receiveWait, bool onLoop)
    {
        var args = new List<string> { "--FanOut:FrameStage", frameStage };
        if (value is not null)
        {
            args.AddRange(["--Ingest:ReceiveOn", value]);
        }

        if (receiveWait is not null)
        {
            args.AddRange(["--Ingest:ReceiveWait", receiveWait]);
        }

        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build([.. args]));

        Assert.That(options.Ingest.Validate(), Is.Empty);
        Assert.That(options.Ingest.ReceivesOnLoop(loops, options.FanOut.InlineFrameStage), Is.EqualTo(onLoop));
    }

    [Test]
    public void An_unknown_Ingest_ReceiveOn_is_a_configuration_error_naming_the_key()
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--Ingest:ReceiveOn", "core0"]));

        Assert.That(options.Validate(), Has.Some.Contains("Ingest:ReceiveOn must be one of auto, loop, thread").And.Contains("core0"));
    }

    [Test]
    public void Receiving_on_the_loop_with_the_frame_stage_on_its_own_thread_is_a_configuration_error()
    {
        // The loop would wait for a full ring that only it can drain, behind the frame stage's thread.
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--Ingest:ReceiveOn", "loop", "--FanOut:FrameStage", "thread"]));

        Assert.That(options.Validate(), Has.Some.Contains("Ingest:ReceiveOn=loop needs FanOut:FrameStage=inline"));
    }

    [Test]
    public void An_unknown_FanOut_RingWaitStrategy_is_a_configuration_error_naming_the_key()
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--FanOut:RingWaitStrategy", "spinny"]));

        Assert.That(options.Validate(), Has.Some.Contains("FanOut:RingWaitStrategy must be one of").And.Contains("spinny"));
        var yielding = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--FanOut:RingWaitStrategy", "yielding"]));
        Assert.That(yielding.FanOut.Validate(), Is.Empty);
    }

    [TestCase(new string[0], "127.0.0.1")]
    [TestCase(new[] { "--Demo:Enabled", "false" }, "0.0.0.0")]
    [TestCase(new[] { "--BindAddress", "0.0.0.0" }, "0.0.0.0")]
    [TestCase(new[] { "--bindaddress", "10.1.2.3" }, "10.1.2.3")]
    public void Demo_mode_listens_on_loopback_unless_BindAddress_is_given(string[] args, string expected)
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(args));

        Assert.That(options.BindAddress, Is.EqualTo(expected));
    }

    [Test]
    public void An_explicit_BindAddress_from_the_environment_holds_in_demo_mode()
    {
        Environment.SetEnvironmentVariable("EDGE_BindAddress", "0.0.0.0");
        try
        {
            var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build([]));
            Assert.That(options.Demo.Enabled, Is.True);
            Assert.That(options.BindAddress, Is.EqualTo("0.0.0.0"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("EDGE_BindAddress", null);
        }
    }

    [TestCase("224.0.0.1:40456")]
    [TestCase("239.255.255.255:1")]
    [TestCase("230.1.2.3:0")]
    [TestCase("[ff02::1]:40456")]
    [TestCase("[ff3e::8000:1]:40456")]
    [TestCase("[::ffff:239.1.1.1]:40456")]
    public void A_multicast_Ingest_Endpoint_is_a_configuration_error(string endpoint)
    {
        var options = new IngestOptions { Endpoint = endpoint };

        Assert.That(options.Validate(), Has.One.Contains($"Ingest:Endpoint {endpoint} is a multicast address"));
    }

    [Test]
    public void A_multicast_Ingest_Channel_reaches_the_receiver_options_and_replaces_the_endpoint()
    {
        var options = new IngestOptions { Endpoint = "0.0.0.0:40456", Channel = "aeron:udp?endpoint=239.1.1.1:40457|interface=127.0.0.1|ttl=2|rcv-wnd=64k" };

        Assert.That(options.Validate(), Is.Empty);
        var receiver = options.ToReceiverOptions();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(receiver.Kind, Is.EqualTo(AeronChannelKind.Multicast));
            Assert.That(receiver.Endpoint, Is.EqualTo(System.Net.IPEndPoint.Parse("239.1.1.1:40457")));
            Assert.That(receiver.MulticastInterface, Is.EqualTo(System.Net.IPAddress.Loopback));
            Assert.That(receiver.MulticastTtl, Is.EqualTo(2));
            Assert.That(receiver.ReceiverWindowLength, Is.EqualTo(65536));
        }
    }

    [Test]
    public void A_dynamic_mdc_Ingest_Channel_names_the_publishers_control_address()
    {
        var options = new IngestOptions { Channel = "aeron:udp?endpoint=0.0.0.0:40457|control=10.0.0.9:40460" };

        Assert.That(options.Validate(), Is.Empty);
        var receiver = options.ToReceiverOptions();
        Assert.That(receiver.Kind, Is.EqualTo(AeronChannelKind.Mdc));
        Assert.That(receiver.Control, Is.EqualTo(System.Net.IPEndPoint.Parse("10.0.0.9:40460")));
    }

    [Test]
    public void A_real_driver_mdc_channel_with_host_names_and_ignored_keys_is_accepted()
    {
        var options = new IngestOptions
        {
            Channel = "aeron:udp?endpoint=localhost:40457|control=localhost:40460|control-mode=dynamic|alias=md|reliable=true|tether=false|sparse=true|gtag=7|interface=127.0.0.1",
        };

        Assert.That(options.Validate(), Is.Empty);
        var receiver = options.ToReceiverOptions();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(receiver.Kind, Is.EqualTo(AeronChannelKind.Mdc));
            Assert.That(receiver.Endpoint, Is.EqualTo(System.Net.IPEndPoint.Parse("127.0.0.1:40457")));
            Assert.That(receiver.Control, Is.EqualTo(System.Net.IPEndPoint.Parse("127.0.0.1:40460")));
        }
    }

    [TestCase("aeron:udp?endpoint=239.1.1.2:40456", "last octet must be odd")]
    [TestCase("aeron:udp?endpoint=localhost:40456|interface=no-such-host.invalid/24", "interface=no-such-host.invalid/24")]
    [TestCase("aeron:udp?endpoint=239.1.1.1:40456|control-mode=manual", "control-mode=manual is not supported on a subscription")]
    [TestCase("aeron:udp?endpoint=239.1.1.1:40456|reliable=false", "reliable=false is not supported")]
    [TestCase("aeron:udp?endpoint=239.1.1.1:40456|session-id=7", "session-id= on a subscription is not supported")]
    [TestCase("aeron:udp?endpoint=no-such-host.invalid:40456", "host name 'no-such-host.invalid'")]
    [TestCase("aeron:udp?endpoint=239.1.1.1:40456|interface=203.0.113.0/24", "no address of this host is in interface=203.0.113.0/24")]
    [TestCase("aeron:ipc", "aeron:ipc is not supported")]
    public void An_unsupported_Ingest_Channel_is_a_configuration_error_with_the_reason(string channel, string reason)
    {
        var options = new IngestOptions { Channel = channel };

        Assert.That(options.Validate(), Has.One.StartsWith("Ingest:Channel: ").And.Contains(reason));
    }

    [Test]
    public void An_unsupported_Demo_Channel_is_a_configuration_error()
    {
        var options = new Edge.Server.Demo.DemoFeedOptions { Channel = "aeron:udp?endpoint=239.1.1.1:40456|fc=tagged" };

        Assert.That(options.Validate(), Has.One.StartsWith("Demo:Channel: ").And.Contains("fc=tagged is not supported"));
    }

    [TestCase("127.0.0.1:40456")]
    [TestCase("0.0.0.0:40456")]
    [TestCase("223.255.255.255:40456")]
    [TestCase("240.0.0.1:40456")]
    [TestCase("[::1]:40456")]
    [TestCase("[fe80::1]:40456")]
    public void A_unicast_Ingest_Endpoint_is_accepted(string endpoint)
    {
        var options = new IngestOptions { Endpoint = endpoint };

        Assert.That(options.Validate(), Is.Empty);
    }

    [TestCase("auto", true, true)]
    [TestCase("auto", false, false)]
    [TestCase("text", false, true)]
    [TestCase("json", true, false)]
    public void The_log_is_text_on_a_terminal_unless_a_format_is_chosen(string format, bool terminal, bool text)
    {
        var options = new LoggingOptions { Format = format };

        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.UsesText(terminal), Is.EqualTo(text));
        Assert.That(new LoggingOptions().Format, Is.EqualTo("auto"));
        Assert.That(new LoggingOptions { Format = "xml" }.Validate(), Has.One.Contains("Log:Format must be auto, json or text"));
    }
}
