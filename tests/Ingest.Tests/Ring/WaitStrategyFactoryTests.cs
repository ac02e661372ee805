namespace Edge.Ingest.Tests.Ring;

public sealed class WaitStrategyFactoryTests
{
    [TestCase("blocking", WaitStrategyKind.Blocking)]
    [TestCase("Blocking", WaitStrategyKind.Blocking)]
    [TestCase(" sleeping ", WaitStrategyKind.Sleeping)]
    [TestCase("YIELDING", WaitStrategyKind.Yielding)]
    [TestCase("busy-spin", WaitStrategyKind.BusySpin)]
    [TestCase("BusySpin", WaitStrategyKind.BusySpin)]
    [TestCase("busy_spin", WaitStrategyKind.BusySpin)]
    public void Parses_configuration_names(string name, WaitStrategyKind expected)
    {
        Assert.That(WaitStrategyFactory.TryParse(name, out var kind), Is.True);
        Assert.That(kind, Is.EqualTo(expected));
        Assert.That(WaitStrategyFactory.Parse(name), Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Missing_name_means_blocking(string? name)
    {
        Assert.That(WaitStrategyFactory.Parse(name), Is.EqualTo(WaitStrategyKind.Blocking));
        Assert.That(WaitStrategyFactory.Create(name), Is.InstanceOf<BlockingWaitStrategy>());
    }

    [Test]
    public void Default_never_spins()
    {
        Assert.That(WaitStrategyFactory.DefaultKind, Is.EqualTo(WaitStrategyKind.Blocking));
        Assert.That(new RingBuffer<TestEvent>(8).WaitStrategy, Is.InstanceOf<BlockingWaitStrategy>());
    }

    [TestCase("spinning")]
    [TestCase("block ing x")]
    [TestCase("averyveryverylongname")]
    public void Rejects_unknown_names(string name)
    {
        Assert.That(WaitStrategyFactory.TryParse(name, out _), Is.False);
        var error = Assert.Throws<ArgumentException>(() => WaitStrategyFactory.Parse(name));
        Assert.That(error!.Message, Does.Contain("busy-spin"));
    }

    [TestCase(WaitStrategyKind.Blocking, typeof(BlockingWaitStrategy), true)]
    [TestCase(WaitStrategyKind.Sleeping, typeof(SleepingWaitStrategy), false)]
    [TestCase(WaitStrategyKind.Yielding, typeof(YieldingWaitStrategy), false)]
    [TestCase(WaitStrategyKind.BusySpin, typeof(BusySpinWaitStrategy), false)]
    public void Creates_each_kind(WaitStrategyKind kind, Type expected, bool blocking)
    {
        var strategy = WaitStrategyFactory.Create(kind);
        Assert.That(strategy, Is.InstanceOf(expected));
        Assert.That(strategy.IsBlockingStrategy, Is.EqualTo(blocking));
    }
}
