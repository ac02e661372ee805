using Edge.Server.Configuration;
using Edge.Server.FanOut;

namespace Edge.Server.Tests.FanOut;

public sealed class FanOutOptionsTests
{
    [TestCase("thread", true)]
    [TestCase("inline", true)]
    [TestCase("INLINE", true)]
    [TestCase("fiber", false)]
    [TestCase("", false)]
    public void FrameStage_is_thread_or_inline(string value, bool valid)
    {
        var errors = new FanOutOptions { FrameStage = value }.Validate();

        Assert.That(errors, valid ? Is.Empty : Has.Some.Contains("FanOut:FrameStage must be"));
    }

    [Test]
    public void FrameStage_and_DirectWrites_bind_from_the_command_line()
    {
        var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(["--FanOut:FrameStage", "thread", "--FanOut:DirectWrites", "false"]));
        var defaults = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build([]));

        Assert.That(options.FanOut.FrameStage, Is.EqualTo("thread"));
        Assert.That(defaults.FanOut.FrameStage, Is.EqualTo("inline"), "the stage runs on the receive thread unless asked otherwise");
        Assert.That(options.FanOut.DirectWrites, Is.False);
        Assert.That(defaults.FanOut.DirectWrites, Is.True);
    }
}
