using System.Globalization;
using System.Text;
using HdrHistogram;

namespace Edge.Perf.Reports;

/// <summary>
/// A hand-written SVG of latency by percentile, like HdrHistogram's plots: the x axis is 1/(1 − percentile) on a
/// log scale (0 %, 90 %, 99 %, 99.9 % … equally spaced), the y axis latency in ms on a log scale (steps of one run
/// can differ by 1000×), one line per step (a side-by-side run: the reference server's dashed, in its rate's colour).
/// </summary>
internal static class LatencyPlot
{
    private const int Width = 900;
    private const int Height = 520;
    private const int Left = 70;
    private const int Right = 180;
    private const int Top = 40;
    private const int Bottom = 60;
    private const double MaxNines = 5; // up to 99.999 %

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

    public static string Svg(string title, IReadOnlyList<LatencySeries> series)
    {
        var curves = new List<(string Label, List<(double X, double Ms)> Points, int Color, bool Dashed)>();
        var maxMs = 0.0;
        var minMs = double.MaxValue;
        foreach (var (label, histogram, color, dashed) in series)
        {
            if (histogram.TotalCount == 0)
            {
                continue;
            }

            var points = new List<(double X, double Ms)>();
            foreach (var value in histogram.Percentiles(5))
            {
                var percentile = Math.Min(value.Percentile, 99.9999);
                var x = Math.Min(MaxNines, Math.Log10(100.0 / (100.0 - percentile)));
                var ms = value.ValueIteratedTo / 1e6;
                points.Add((x, ms));
                maxMs = Math.Max(maxMs, ms);
                if (ms > 0)
                {
                    minMs = Math.Min(minMs, ms);
                }
                if (x >= MaxNines)
                {
                    break;
                }
            }

            curves.Add((label, points, color, dashed));
        }

        // Whole decades from below the smallest value to above the largest.
        var low = Math.Floor(Math.Log10(minMs == double.MaxValue ? 0.01 : minMs));
        var high = Math.Max(low + 1, Math.Ceiling(Math.Log10(Math.Max(maxMs, 0.01))));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n");

        // Grid: percentiles on x, ms on y.
        string[] xLabels = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"];
        for (var nines = 0; nines <= MaxNines; nines++)
        {
            var x = Left + (plotWidth * nines / MaxNines);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F1}\" y1=\"{Top}\" x2=\"{x:F1}\" y2=\"{Top + plotHeight}\" stroke=\"#ddd\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\">{xLabels[nines]}</text>\n");
        }

        for (var decade = low; decade <= high; decade++)
        {
            var ms = Math.Pow(10, decade);
            var y = Y(ms, low, high, plotHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + plotWidth}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{ms:G4}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 15}\" text-anchor=\"middle\">percentile</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{Top + (plotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {Top + (plotHeight / 2)})\">latency, ms, log scale (publish → client receive)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#333\"/>\n");

        for (var c = 0; c < curves.Count; c++)
        {
            var color = Colors[curves[c].Color % Colors.Length];
            var dash = curves[c].Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
            var path = new StringBuilder();
            foreach (var (x, ms) in curves[c].Points)
            {
                var px = Left + (plotWidth * x / MaxNines);
                var py = Y(ms, low, high, plotHeight);
                path.Append(CultureInfo.InvariantCulture, $"{(path.Length == 0 ? "M" : " L")}{px:F1},{py:F1}");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>\n");
            var ly = Top + 10 + (c * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left + plotWidth + 12}\" y1=\"{ly}\" x2=\"{Left + plotWidth + 32}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"3\"{dash}/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth + 38}\" y=\"{ly + 4}\">{Escape(curves[c].Label)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static double Y(double ms, double lowDecade, double highDecade, int plotHeight)
    {
        var position = (Math.Log10(Math.Max(ms, Math.Pow(10, lowDecade))) - lowDecade) / (highDecade - lowDecade);
        return Top + plotHeight - (plotHeight * Math.Clamp(position, 0, 1));
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
