using Edge.Perf;
using Edge.Perf.Runs;

PerfOptions options;
try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
    {
        Console.WriteLine(PerfOptions.Usage);
        return args.Length == 0 ? 2 : 0;
    }

    options = PerfOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine("edge-perf: " + e.Message);
    Console.Error.WriteLine(PerfOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    await CapacityRun.ExecuteAsync(options, Console.Out, cancel.Token);
    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("edge-perf: cancelled");
    return 130;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine("edge-perf: " + e.Message);
    return 1;
}
