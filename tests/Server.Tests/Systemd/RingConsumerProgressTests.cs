using Edge.Server.Systemd;

namespace Edge.Server.Tests.Systemd;

public sealed class RingConsumerProgressTests
{
    private long _consumed;
    private long _available;
    private bool _running;

    [SetUp]
    public void Reset()
    {
        // NUnit reuses one fixture instance for every test.
        _consumed = 0;
        _available = 0;
        _running = true;
    }

    [Test]
    public void An_idle_consumer_is_never_stuck()
    {
        var progress = Create();
        _consumed = _available = 10;

        Assert.That(progress.Check(), Is.Null);
        Assert.That(progress.Check(), Is.Null);
        Assert.That(progress.Check(), Is.Null);
    }

    [Test]
    public void A_consumer_with_work_waiting_that_consumes_nothing_until_the_next_check_is_stuck()
    {
        var progress = Create();
        _consumed = 10;
        _available = 12;

        Assert.That(progress.Check(), Is.Null, "the first sample sets the baseline");
        Assert.That(progress.Check(), Does.Contain("test is stuck at sequence 10"));
    }

    [Test]
    public void A_consumer_that_moves_between_checks_is_alive_even_when_behind()
    {
        var progress = Create();
        _consumed = 10;
        _available = 100;
        Assert.That(progress.Check(), Is.Null);

        _consumed = 11;
        _available = 200;
        Assert.That(progress.Check(), Is.Null);

        _consumed = 150;
        Assert.That(progress.Check(), Is.Null);
    }

    [Test]
    public void Work_that_arrived_after_the_previous_check_gives_the_consumer_until_the_next_one()
    {
        var progress = Create();
        _consumed = _available = 10;
        Assert.That(progress.Check(), Is.Null);

        _available = 11;
        Assert.That(progress.Check(), Is.Null, "the event may have arrived just now");
        Assert.That(progress.Check(), Is.Not.Null, "a whole interval later it is still waiting");
    }

    [Test]
    public void A_consumer_that_stopped_running_is_not_alive()
    {
        var progress = Create();
        _running = false;

        Assert.That(progress.Check(), Does.Contain("not running"));
    }

    private RingConsumerProgress Create() => new("test", () => _consumed, () => _available, () => _running);
}
