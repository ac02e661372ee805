using Edge.EndToEnd.Tests.Deployment;
using Edge.Server.Systemd;

namespace Edge.Server.Tests.Systemd;

public sealed class SystemdNotifierTests
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task A_notification_arrives_as_one_datagram_on_a_path_or_abstract_socket(bool isAbstract)
    {
        using var systemd = new NotifySocket(isAbstract);
        using var notifier = new SystemdNotifier(systemd.Address);

        Assert.That(notifier.Notify("READY=1\nSTATUS=serving"), Is.True);

        Assert.That(await systemd.ReceiveAsync(), Is.EqualTo("READY=1\nSTATUS=serving"));
    }

    [Test]
    public void Without_NOTIFY_SOCKET_notifying_does_nothing()
    {
        using var notifier = new SystemdNotifier(null);

        Assert.That(notifier.Enabled, Is.False);
        Assert.That(notifier.Notify("READY=1"), Is.False);
    }

    [Test]
    public void A_socket_nobody_listens_on_is_counted_not_thrown()
    {
        using var notifier = new SystemdNotifier(Path.Combine(Path.GetTempPath(), "edge-missing-" + Guid.NewGuid().ToString("N"), "notify.sock"));

        Assert.That(notifier.Notify("READY=1"), Is.False);
        Assert.That(notifier.Failures, Is.EqualTo(1));
    }

    [Test]
    public void Status_lines_stay_on_one_line() =>
        Assert.That(SystemdNotifier.StatusLine("a\nb"), Is.EqualTo("STATUS=a b"));
}
