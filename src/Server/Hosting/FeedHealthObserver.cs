using Edge.Ingest.Aeron;
using Edge.Ingest.Prices;
using Microsoft.Extensions.Logging;

namespace Edge.Server.Hosting;

/// <summary>Turns the Aeron receiver's publisher and feed events into readiness and log lines.</summary>
public sealed partial class FeedHealthObserver : IFeedObserver
{
    private readonly HealthState _health;
    private readonly ILogger _logger;

    public FeedHealthObserver(HealthState health, ILogger<FeedHealthObserver> logger)
    {
        _health = health;
        _logger = logger;
    }

    public void OnPublisherJoined(AeronImageInfo image) => LogJoined(image.SessionId, image.StreamId, image.Source.ToString() ?? "?");

    public void OnPublisherLeft(AeronImageInfo image, AeronImageEndReason reason) => LogLeft(image.SessionId, image.StreamId, reason);

    public void OnSetupRefused(AeronSetupRefusal refusal) =>
        LogSetupRefused(refusal.Source.ToString(), refusal.SessionId, refusal.StreamId, refusal.Reason, refusal.Detail, refusal.Suppressed);

    public void OnFeedChanged(bool up)
    {
        _health.SetFeedUp(up);
        if (up)
        {
            LogFeedUp();
        }
        else
        {
            LogFeedDown();
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Upstream publisher joined: session {SessionId} stream {StreamId} from {Source}")]
    private partial void LogJoined(int sessionId, int streamId, string source);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Upstream publisher left: session {SessionId} stream {StreamId} ({Reason})")]
    private partial void LogLeft(int sessionId, int streamId, AeronImageEndReason reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning,
        Message = "Upstream publisher refused: SETUP from {Source} session {SessionId} stream {StreamId}: {Reason}, {Detail} ({Suppressed} more refusals from it since the last report)")]
    private partial void LogSetupRefused(string source, int sessionId, int streamId, AeronSetupRefusalReason reason, string detail, long suppressed);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Feed up")]
    private partial void LogFeedUp();

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Feed down: no upstream publisher")]
    private partial void LogFeedDown();
}
