namespace Edge.Protocol.Tests;

/// <summary>docs/protocol.md, found above the test directory and read once: the text the encoders are held to.</summary>
internal static class ProtocolDocument
{
    private static readonly Lazy<string> LazyText = new(() => File.ReadAllText(Find()));

    public static string Text => LazyText.Value;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "protocol.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/protocol.md not found above the test directory");
    }
}
