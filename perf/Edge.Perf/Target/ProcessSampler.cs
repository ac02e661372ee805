using System.Diagnostics;
using System.Globalization;

namespace Edge.Perf.Target;

/// <summary>Reads /proc/&lt;pid&gt;/stat (utime + stime) and /proc/&lt;pid&gt;/status (VmRSS), summed over the pid and any extra pids (a TLS terminator in front of Edge).</summary>
internal sealed class ProcessSampler
{
    // USER_HZ is 100 on every Linux the tool targets (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100.0;

    private readonly int[] _pids;

    public ProcessSampler(int pid, IReadOnlyList<int>? extraPids = null)
    {
        Pid = pid;
        _pids = [pid, .. extraPids ?? []];
    }

    public int Pid { get; }

    public static ProcessSampler Self() => new(Environment.ProcessId);

    public ProcessSample Sample()
    {
        var wall = Stopwatch.GetTimestamp();
        var cpu = 0.0;
        long rss = 0;
        foreach (var pid in _pids)
        {
            var one = Sample(pid, wall);
            cpu += one.CpuSeconds;
            rss += one.RssBytes;
        }

        return new ProcessSample(cpu, rss, wall);
    }

    private static ProcessSample Sample(int pid, long wall)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name "(...)": state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long rss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
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
