using System.Diagnostics;
using System.Globalization;

namespace Edge.Perf.Target;

/// <summary>Reads /proc/&lt;pid&gt;/stat (utime + stime) and /proc/&lt;pid&gt;/status (VmRSS).</summary>
internal sealed class ProcessSampler
{
    // USER_HZ is 100 on every Linux the tool targets (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100.0;

    public ProcessSampler(int pid)
    {
        Pid = pid;
    }

    public int Pid { get; }

    public static ProcessSampler Self() => new(Environment.ProcessId);

    public ProcessSample Sample()
    {
        var wall = Stopwatch.GetTimestamp();
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            // Fields after the command name "(...)": state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long rss = 0;
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                    break;
                }
            }

            return new ProcessSample(ticks / TicksPerSecond, rss, wall);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return new ProcessSample(double.NaN, 0, wall);
        }
    }

    /// <summary>CPU used between two samples as a fraction of one core.</summary>
    public static double CoreShare(ProcessSample start, ProcessSample end)
    {
        var seconds = (end.WallTicks - start.WallTicks) / (double)Stopwatch.Frequency;
        return seconds <= 0 ? 0 : (end.CpuSeconds - start.CpuSeconds) / seconds;
    }
}
