namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>
/// scripts/run and scripts/publish say what they are doing while a first build runs for minutes (they once printed
/// nothing), and stay idempotent: an up-to-date binary is started without a rebuild. They run here from a copy of
/// the scripts in a scratch directory (<see cref="ScriptCheckout"/>), so the real build and artifacts/ are never
/// touched.
/// </summary>
public sealed class ScriptProgressTests
{
    [Test]
    public async Task A_first_run_shows_each_build_step_with_the_elapsed_time_and_a_second_run_does_not_rebuild()
    {
        using var root = new ScriptCheckout();

        var first = await root.RunAsync("scripts/run", "--version");

        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(first.Output, Does.Contain("stand-in edge --version"));
        var steps = Lines(first.Error);
        string[] expected =
        [
            "run: [   0s] checking the build tools (scripts/setup)",
            "run: [   0s] no artifacts/edge yet: building it (scripts/publish)",
            "publish: [   0s] building artifacts/edge",
            "publish: [   0s] restoring NuGet packages",
            "publish: [   0s] compiled Edge.Protocol",
            "publish: [   0s] compiled Edge.Ingest",
            "publish: [   0s] compiled Edge.Server",
            "publish: [   0s] generating native code",
            "publish: [   0s] done",
            "run: [   0s] starting artifacts/edge --version",
        ];
        // In this order (the seconds may be more than 0 on a loaded machine, so only the shape is compared).
        var at = 0;
        foreach (var step in expected)
        {
            var index = steps.FindIndex(at, line => SameStep(line, step));
            Assert.That(index, Is.GreaterThanOrEqualTo(0), $"missing or out of order: '{step}' in:\n{first.Error}");
            at = index + 1;
        }

        var second = await root.RunAsync("scripts/run", "--version");

        Assert.That(second.ExitCode, Is.Zero, second.Error);
        Assert.That(second.Output, Does.Contain("stand-in edge --version"));
        Assert.That(second.Error, Does.Contain("artifacts/edge is up to date").And.Not.Contain("publish:"));

        root.TouchSource();
        var third = await root.RunAsync("scripts/run", "--version");

        Assert.That(third.ExitCode, Is.Zero, third.Error);
        Assert.That(third.Error, Does.Contain("sources changed since artifacts/edge was built: rebuilding it").And.Contain("publish: ["));
    }

    /// <summary>"tool: [  12s] text" matches "tool: [   0s] text…" whatever the seconds.</summary>
    private static bool SameStep(string line, string step)
    {
        static (string Tool, string Text) Split(string value)
        {
            var open = value.IndexOf(" [", StringComparison.Ordinal);
            var close = value.IndexOf("s] ", StringComparison.Ordinal);
            return open < 0 || close < open ? (value, string.Empty) : (value[..open], value[(close + 3)..]);
        }

        var (lineTool, lineText) = Split(line);
        var (stepTool, stepText) = Split(step);
        return lineTool == stepTool && stepText.Length > 0 && lineText.StartsWith(stepText, StringComparison.Ordinal);
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}
