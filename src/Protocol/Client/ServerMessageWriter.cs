using System.Buffers;

namespace Edge.Protocol.Client;

/// <summary>
/// Writes the server-to-client messages that are not on the hot path (connected, ack, error, snapshot, heartbeat,
/// pong, status, notice, and price from a <see cref="BestPrice"/>) as a payload into an
/// <see cref="IBufferWriter{T}"/>, in either encoding; the WebSocket layer frames it (binary for MessagePack, text for
/// JSON). Each message's shape is written once (its <see cref="IWireMessage"/> struct) and encoded by
/// <see cref="MessageOutput"/>, so both encodings carry the same keys, order and value types. Thread-safe.
/// </summary>
public static class ServerMessageWriter
{
    public static void WriteConnected(
        IBufferWriter<byte> output, ClientEncoding encoding, string clientId, long serverTime, int heartbeatIntervalMs, in ConnectionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        MessageOutput.Write(output, encoding, new ConnectedMessage(clientId, serverTime, heartbeatIntervalMs, limits));
    }

    /// <summary>
    /// <c>ack</c> {id, subscribed | unsubscribed, errors}: <paramref name="symbols"/> are the
    /// request's symbols now (un)subscribed, <paramref name="errors"/> the ones that were not.
    /// </summary>
    public static void WriteAck(
        IBufferWriter<byte> output, ClientEncoding encoding, long id, AckKind kind, ReadOnlySpan<string> symbols, ReadOnlySpan<SymbolError> errors) =>
        MessageOutput.Write(output, encoding, new AckMessage(id, kind, symbols, errors));

    /// <summary><c>error</c> {id?, code, message}; <c>id</c> is left out when the request's id is unknown.</summary>
    public static void WriteError(IBufferWriter<byte> output, ClientEncoding encoding, long? id, ErrorCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        MessageOutput.Write(output, encoding, new ErrorMessage(id, code, message));
    }

    /// <summary><c>heartbeat</c> {time}: server time, nanoseconds since the Unix epoch.</summary>
    public static void WriteHeartbeat(IBufferWriter<byte> output, ClientEncoding encoding, long time) =>
        MessageOutput.Write(output, encoding, new HeartbeatMessage(time));

    /// <summary><c>pong</c> {id, time}: the answer to a client <c>ping</c>.</summary>
    public static void WritePong(IBufferWriter<byte> output, ClientEncoding encoding, long id, long time) =>
        MessageOutput.Write(output, encoding, new PongMessage(id, time));

    /// <summary><c>status</c> {feed: "up"|"down", reason}.</summary>
    public static void WriteStatus(IBufferWriter<byte> output, ClientEncoding encoding, FeedState feed, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        MessageOutput.Write(output, encoding, new StatusMessage(feed, reason));
    }

    /// <summary>
    /// <c>notice</c> {message, time}: operator text for the people using the client (maintenance, incidents);
    /// <paramref name="time"/> is when it was sent, nanoseconds since the Unix epoch.
    /// </summary>
    public static void WriteNotice(IBufferWriter<byte> output, ClientEncoding encoding, string message, long time)
    {
        ArgumentNullException.ThrowIfNull(message);
        MessageOutput.Write(output, encoding, new NoticeMessage(message, time));
    }

    /// <summary>A <c>price</c> message from a <see cref="BestPrice"/> (its stored mid/spread/spreadBps are written as they are).</summary>
    public static void WritePrice(IBufferWriter<byte> output, ClientEncoding encoding, BestPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        MessageOutput.Write(output, encoding, new BestPriceMessage(price));
    }

    /// <summary>
    /// <c>snapshot</c> {prices: [price, ...]}; each element is a complete <c>price</c> map
    /// (with its <c>type</c>), byte for byte what <see cref="SnapshotAssembler"/> assembles from cached frames.
    /// </summary>
    public static void WriteSnapshot(IBufferWriter<byte> output, ClientEncoding encoding, ReadOnlySpan<BestPrice> prices) =>
        MessageOutput.Write(output, encoding, new SnapshotMessage(prices));
}
