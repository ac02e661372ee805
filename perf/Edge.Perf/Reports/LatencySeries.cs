using HdrHistogram;

namespace Edge.Perf.Reports;

/// <summary>One curve of the latency plot: its legend, its values, its colour (an index) and whether it is dashed.</summary>
internal readonly record struct LatencySeries(string Label, LongHistogram Histogram, int Color, bool Dashed);
