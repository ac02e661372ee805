using System.Reflection;
using System.Text.RegularExpressions;
using Edge.Protocol.Tests.Client;
using Edge.Protocol.Tests.Ingest;

namespace Edge.Protocol.Tests;

/// <summary>Keeps docs/protocol.md and the golden vectors the other tests use saying the same thing.</summary>
public sealed partial class DocumentedExamplesTests
{
    public static IEnumerable<TestCaseData> ClientVectors() =>
        typeof(ClientGoldenVectors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => new TestCaseData(f.Name, (string)f.GetRawConstantValue()!).SetArgDisplayNames(f.Name));

    [TestCaseSource(nameof(ClientVectors))]
    public void Every_client_example_is_in_the_document(string name, string vector)
    {
        var document = Spaces().Replace(ProtocolDocument.Text, " ");
        var expected = name.EndsWith("Json", StringComparison.Ordinal) ? vector : Spaces().Replace(vector.Trim(), " ");

        Assert.That(document, Does.Contain(expected), name);
    }

    [Test]
    public void The_ingest_example_is_the_documented_one()
    {
        var section = ProtocolDocument.Text[ProtocolDocument.Text.IndexOf("## Ingest message", StringComparison.Ordinal)..];
        var block = section[(section.IndexOf("```", StringComparison.Ordinal) + 3)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        var bytes = string.Join(' ', block.Split('\n').Select(line => LeadingHex().Match(line).Value.Trim()).Where(h => h.Length > 0));

        Assert.That(bytes, Is.EqualTo(Hex.Spaced(Hex.Bytes(IngestGoldenVectors.EurUsd))));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^([0-9a-f]{2} ?)+")]
    private static partial Regex LeadingHex();
}
