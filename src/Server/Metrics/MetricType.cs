namespace Edge.Server.Metrics;

public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
