using System.Net;

namespace Edge.Ingest.Aeron;

/// <summary>
/// A refused SETUP, as reported to <see cref="IAeronMessageHandler.OnSetupRefused"/>: at most once per source address per
/// <see cref="AeronReceiverOptions.SetupRefusalReportInterval"/>, so a sender retrying every 100 ms makes one log line,
/// not ten a second. Every refusal is still counted (<see cref="AeronDropReason.InvalidSetup"/> or
/// <see cref="AeronDropReason.ImageLimitReached"/>). Immutable.
/// </summary>
public sealed class AeronSetupRefusal
{
    public AeronSetupRefusal(
        AeronSetupRefusalReason reason,
        IPEndPoint source,
        int sessionId,
        int streamId,
        int termLength,
        int mtu,
        int termOffset,
        int receiverWindowLength,
        long suppressed)
    {
        Reason = reason;
        Source = source;
        SessionId = sessionId;
        StreamId = streamId;
        TermLength = termLength;
        Mtu = mtu;
        TermOffset = termOffset;
        ReceiverWindowLength = receiverWindowLength;
        Suppressed = suppressed;
    }

    public AeronSetupRefusalReason Reason { get; }

    /// <summary>Where the SETUP came from (the publisher's control address).</summary>
    public IPEndPoint Source { get; }

    public int SessionId { get; }

    public int StreamId { get; }

    public int TermLength { get; }

    public int Mtu { get; }

    public int TermOffset { get; }

    /// <summary>The receiver's configured window (the MTU may not exceed it).</summary>
    public int ReceiverWindowLength { get; }

    /// <summary>Refusals from this source that were counted but not reported since its previous report.</summary>
    public long Suppressed { get; }

    /// <summary>What was wrong, in words, with the values that made it wrong.</summary>
    public string Detail => Reason switch
    {
        AeronSetupRefusalReason.InvalidTermLength => $"term length {TermLength} is not a power of two from 64 KiB to 1 GiB",
        AeronSetupRefusalReason.InvalidMtu => $"MTU {Mtu} is not a multiple of 32 from 32 to 65504",
        AeronSetupRefusalReason.MtuAboveReceiverWindow => $"MTU {Mtu} is larger than the receiver window {ReceiverWindowLength}",
        AeronSetupRefusalReason.InvalidTermOffset => $"term offset {TermOffset} is not an aligned offset in a term of {TermLength}",
        AeronSetupRefusalReason.ImageLimitReached => "the receiver already holds its maximum number of images",
        _ => Reason.ToString(),
    };

    public override string ToString() =>
        $"SETUP refused from {Source} session {SessionId} stream {StreamId}: {Detail} ({Suppressed} more not reported)";
}
