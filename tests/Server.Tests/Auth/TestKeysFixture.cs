namespace Edge.Server.Tests.Auth;

/// <summary>
/// A fixture whose tests sign and validate with <see cref="TestKeys"/>: generated once for the fixture (RSA key
/// generation is slow) and disposed after it.
/// </summary>
public abstract class TestKeysFixture
{
    protected TestKeys Keys { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateKeys() => Keys = new TestKeys();

    [OneTimeTearDown]
    public void DisposeKeys() => Keys.Dispose();
}
