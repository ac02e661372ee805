using System.Text;

namespace Edge.Server.Metrics;

/// <summary>Builds a Prometheus label set (<c>a="x",b="y"</c>) with values escaped as the text format requires.</summary>
public static class MetricLabels
{
    public static string Of(string name, string value) => name + "=\"" + Escape(value) + "\"";

    public static string Of(string name1, string value1, string name2, string value2) =>
        Of(name1, value1) + "," + Of(name2, value2);

    private static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\"\n") < 0)
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => escaped.Append("\\\\"),
                '"' => escaped.Append("\\\""),
                '\n' => escaped.Append("\\n"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}
