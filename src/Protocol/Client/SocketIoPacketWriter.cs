using System.Buffers;

namespace Edge.Protocol.Client;

/// <summary>
/// Writes socket.io v5 packets of the <c>/market-data</c> namespace inside an Engine.IO v4 message packet, as the text
/// a WebSocket frame carries: <c>42/market-data,["event",{...}]</c> (4 = Engine.IO message, 2 = socket.io EVENT).
/// </summary>
public static class SocketIoPacketWriter
{
    /// <summary>The packet's opening: Engine.IO message, socket.io EVENT, the namespace and its comma.</summary>
    public static ReadOnlySpan<byte> MarketDataEventPrefix => "42/market-data,"u8;

    /// <summary>An EVENT packet: <c>42/market-data,[eventName, payload]</c>.</summary>
    public static void WriteEvent<TPayload>(IBufferWriter<byte> output, WireKey eventName, TPayload payload)
        where TPayload : struct, IWireMessage, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(eventName);
        output.Write(MarketDataEventPrefix);
        MessageOutput.WriteJson(output, new SocketIoEventMessage<TPayload>(eventName, payload));
    }

    /// <summary>A <c>price</c> event in the original gateway's shape (<see cref="SocketIoPriceMessage"/>); mid, spread and spreadBps follow <see cref="PriceMath"/>.</summary>
    public static void WritePrice(
        IBufferWriter<byte> output, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote) =>
        WriteEvent(output, SocketIoWireNames.PriceEvent, new SocketIoPriceMessage(PriceValues.Derive(symbol, bidSource, askSource, quote)));
}
