namespace Edge.Perf;

/// <summary>What a run measures (<c>--target</c>): Edge, the C reference server (perf/reference-server), or both side by side.</summary>
[Flags]
internal enum PerfTargets
{
    Edge = 1,
    Reference = 2,
    Both = Edge | Reference,
}
