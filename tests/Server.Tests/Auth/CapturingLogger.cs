using Microsoft.Extensions.Logging;

namespace Edge.Server.Tests.Auth;

/// <summary>Records every log entry at every level: the formatted message, the state values and any exception text.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var entry = $"{logLevel} {eventId} {formatter(state, exception)} {exception}";
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                entry += $" {key}={value}";
            }
        }

        lock (_entries)
        {
            _entries.Add(entry);
        }
    }
}
