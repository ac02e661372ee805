using Microsoft.Extensions.Logging;

namespace Edge.Server.Auth.Keys;

/// <summary>
/// Holds the current <see cref="SigningKeyRing"/> and, when a JWKS file is configured, polls its timestamp
/// and size and reloads it when they change. A reload that fails (unreadable, bad JSON, bad key, no usable
/// key, kid clash with a configured key) keeps the previous ring, counts and logs the failure, and is not
/// retried until the file changes again. Readers get the ring with one volatile read.
/// </summary>
internal sealed class SigningKeyStore : IDisposable
{
    private readonly SigningAlgorithm _allowed;
    private readonly string? _jwksPath;
    private readonly AuthCounters _counters;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly ITimer? _pollTimer;
    private SigningKeyRing _ring;
    private (long WriteTicks, long Length) _jwksStamp;

    public SigningKeyStore(SigningKeyRing loaded, string? jwksPath, TimeSpan pollInterval, TimeProvider timeProvider, AuthCounters counters, ILogger logger)
    {
        _allowed = loaded.Allowed;
        _ring = loaded;
        _counters = counters;
        _logger = logger;
        if (string.IsNullOrWhiteSpace(jwksPath))
        {
            return;
        }

        _jwksPath = jwksPath;
        _jwksStamp = ReadStamp(jwksPath);
        if (pollInterval > TimeSpan.Zero)
        {
            _pollTimer = timeProvider.CreateTimer(static state => ((SigningKeyStore)state!).Poll(), this, pollInterval, pollInterval);
        }
    }

    public SigningKeyRing Current => Volatile.Read(ref _ring);

    /// <summary>Reloads the JWKS file now, whether or not it changed. True when the key set was replaced.</summary>
    public bool Reload()
    {
        if (_jwksPath is null)
        {
            return false;
        }

        lock (_reloadLock)
        {
            _jwksStamp = ReadStamp(_jwksPath);
            return ReloadLocked(_jwksPath);
        }
    }

    public void Dispose() => _pollTimer?.Dispose();

    private void Poll()
    {
        var path = _jwksPath!;
        try
        {
            lock (_reloadLock)
            {
                // Stamp first, then read: a write after the stamp changes it again and the next poll reloads.
                var stamp = ReadStamp(path);
                if (stamp == _jwksStamp)
                {
                    return;
                }

                _jwksStamp = stamp;
                ReloadLocked(path);
            }
        }
        catch (Exception e)
        {
            // A timer callback must never throw; count it as a failed reload and keep the keys.
            // Log before counting: whoever watches the counter then also finds the log entry.
            AuthLog.JwksPollFailed(_logger, path, e.GetType().Name);
            _counters.CountJwksReloadFailure();
        }
    }

    private bool ReloadLocked(string path)
    {
        var errors = new List<string>();
        var keys = JwksReader.ReadFile(path, _allowed, errors, out var skipped);
        var ring = keys is null ? null : Current.WithJwksKeys(keys, errors);

        if (ring is null)
        {
            AuthLog.JwksReloadFailed(_logger, path, Current.Count, string.Join("; ", errors));
            _counters.CountJwksReloadFailure();
            return false;
        }

        Volatile.Write(ref _ring, ring);
        AuthLog.JwksLoaded(_logger, path, keys!.Count, skipped);
        _counters.CountJwksReload();
        return true;
    }

    private static (long, long) ReadStamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc.Ticks, info.Length) : (0, -1);
    }
}
