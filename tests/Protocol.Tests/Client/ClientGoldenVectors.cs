namespace Edge.Protocol.Tests.Client;

/// <summary>
/// The client protocol examples of docs/protocol.md: MessagePack as hex and JSON as text, written
/// out from the message tables there (not produced by the code under test).
/// </summary>
internal static class ClientGoldenVectors
{
    public const string EurUsdPriceMessagePack =
        "89 a4 74 79 70 65 a5 70 72 69 63 65 a6 73 79 6d " +
        "62 6f 6c a6 45 55 52 55 53 44 a3 62 69 64 83 a5 " +
        "70 72 69 63 65 cb 3f f1 55 9b 3d 07 c8 4b a4 73 " +
        "69 7a 65 cb 41 2e 84 80 00 00 00 00 a6 73 6f 75 " +
        "72 63 65 a4 4c 4d 41 58 a3 61 73 6b 83 a5 70 72 " +
        "69 63 65 cb 3f f1 56 6c f4 1f 21 2d a4 73 69 7a " +
        "65 cb 41 43 12 d0 00 00 00 00 a6 73 6f 75 72 63 " +
        "65 a3 45 42 53 a3 6d 69 64 cb 3f f1 56 04 18 93 " +
        "74 bc a6 73 70 72 65 61 64 cb 3f 2a 36 e2 eb 1c " +
        "40 00 a9 73 70 72 65 61 64 42 70 73 cb 3f fd 88 " +
        "ae d7 3e 3e 59 a9 74 69 6d 65 73 74 61 6d 70 cf " +
        "17 97 9c fe 3d 85 cd 15 a8 73 65 71 75 65 6e 63 " +
        "65 2a";

    public const string EurUsdPriceJson =
        """{"type":"price","symbol":"EURUSD","bid":{"price":1.0834,"size":1000000,"source":"LMAX"},"ask":{"price":1.0836,"size":2500000,"source":"EBS"},"mid":1.0835,"spread":0.00019999999999997797,"spreadBps":1.8458698661742317,"timestamp":1700000000123456789,"sequence":42}""";

    public const string BtcUsdPriceMessagePack =
        "89 a4 74 79 70 65 a5 70 72 69 63 65 a6 73 79 6d " +
        "62 6f 6c a7 42 54 43 2d 55 53 44 a3 62 69 64 83 " +
        "a5 70 72 69 63 65 cb 40 ef 40 10 00 00 00 00 a4 " +
        "73 69 7a 65 cb 3f d0 00 00 00 00 00 00 a6 73 6f " +
        "75 72 63 65 a2 43 42 a3 61 73 6b 83 a5 70 72 69 " +
        "63 65 cb 40 ef 40 20 00 00 00 00 a4 73 69 7a 65 " +
        "cb 3f f8 00 00 00 00 00 00 a6 73 6f 75 72 63 65 " +
        "a4 4b 52 4b 4e a3 6d 69 64 cb 40 ef 40 18 00 00 " +
        "00 00 a6 73 70 72 65 61 64 cb 3f e0 00 00 00 00 " +
        "00 00 a9 73 70 72 65 61 64 42 70 73 cb 3f b3 ff " +
        "f0 a3 e2 d6 1b a9 74 69 6d 65 73 74 61 6d 70 cf " +
        "17 97 9c fe 43 7b ae 15 a8 73 65 71 75 65 6e 63 " +
        "65 07";

    public const string BtcUsdPriceJson =
        """{"type":"price","symbol":"BTC-USD","bid":{"price":64000.5,"size":0.25,"source":"CB"},"ask":{"price":64001,"size":1.5,"source":"KRKN"},"mid":64000.75,"spread":0.5,"spreadBps":0.07812408448338497,"timestamp":1700000000223456789,"sequence":7}""";

    public const string ConnectedMessagePack =
        "85 a4 74 79 70 65 a9 63 6f 6e 6e 65 63 74 65 64 " +
        "a8 63 6c 69 65 6e 74 49 64 a6 63 2d 37 66 33 61 " +
        "aa 73 65 72 76 65 72 54 69 6d 65 cf 17 97 9c fe " +
        "36 2a 00 00 b1 68 65 61 72 74 62 65 61 74 49 6e " +
        "74 65 72 76 61 6c cd 3a 98 a6 6c 69 6d 69 74 73 " +
        "84 b0 6d 61 78 53 75 62 73 63 72 69 70 74 69 6f " +
        "6e 73 cd 01 f4 b4 6d 61 78 53 79 6d 62 6f 6c 73 " +
        "50 65 72 52 65 71 75 65 73 74 64 af 6d 61 78 4d " +
        "65 73 73 61 67 65 42 79 74 65 73 cd 40 00 b4 6d " +
        "61 78 4d 65 73 73 61 67 65 73 50 65 72 53 65 63 " +
        "6f 6e 64 14";

    public const string ConnectedJson =
        """{"type":"connected","clientId":"c-7f3a","serverTime":1700000000000000000,"heartbeatInterval":15000,"limits":{"maxSubscriptions":500,"maxSymbolsPerRequest":100,"maxMessageBytes":16384,"maxMessagesPerSecond":20}}""";

    public const string AckMessagePack =
        "84 a4 74 79 70 65 a3 61 63 6b a2 69 64 01 aa 73 " +
        "75 62 73 63 72 69 62 65 64 92 a6 45 55 52 55 53 " +
        "44 a6 47 42 50 55 53 44 a6 65 72 72 6f 72 73 91 " +
        "83 a6 73 79 6d 62 6f 6c a6 58 41 55 45 55 52 a4 " +
        "63 6f 64 65 ae 55 4e 4b 4e 4f 57 4e 5f 53 59 4d " +
        "42 4f 4c a7 6d 65 73 73 61 67 65 b8 6e 6f 74 20 " +
        "63 61 72 72 69 65 64 20 62 79 20 74 68 69 73 20 " +
        "66 65 65 64";

    public const string AckJson =
        """{"type":"ack","id":1,"subscribed":["EURUSD","GBPUSD"],"errors":[{"symbol":"XAUEUR","code":"UNKNOWN_SYMBOL","message":"not carried by this feed"}]}""";

    public const string AckUnsubscribeMessagePack =
        "84 a4 74 79 70 65 a3 61 63 6b a2 69 64 02 ac 75 " +
        "6e 73 75 62 73 63 72 69 62 65 64 91 a6 45 55 52 " +
        "55 53 44 a6 65 72 72 6f 72 73 90";

    public const string AckUnsubscribeJson =
        """{"type":"ack","id":2,"unsubscribed":["EURUSD"],"errors":[]}""";

    public const string ErrorMessagePack =
        "84 a4 74 79 70 65 a5 65 72 72 6f 72 a2 69 64 07 " +
        "a4 63 6f 64 65 ac 52 41 54 45 5f 4c 49 4d 49 54 " +
        "45 44 a7 6d 65 73 73 61 67 65 b1 74 6f 6f 20 6d " +
        "61 6e 79 20 72 65 71 75 65 73 74 73";

    public const string ErrorJson =
        """{"type":"error","id":7,"code":"RATE_LIMITED","message":"too many requests"}""";

    public const string ErrorWithoutIdMessagePack =
        "83 a4 74 79 70 65 a5 65 72 72 6f 72 a4 63 6f 64 " +
        "65 af 49 4e 56 41 4c 49 44 5f 4d 45 53 53 41 47 " +
        "45 a7 6d 65 73 73 61 67 65 ae 6d 61 6c 66 6f 72 " +
        "6d 65 64 20 4a 53 4f 4e";

    public const string ErrorWithoutIdJson =
        """{"type":"error","code":"INVALID_MESSAGE","message":"malformed JSON"}""";

    public const string HeartbeatMessagePack =
        "82 a4 74 79 70 65 a9 68 65 61 72 74 62 65 61 74 " +
        "a4 74 69 6d 65 cf 17 97 9d 01 b4 3b d6 00";

    public const string HeartbeatJson =
        """{"type":"heartbeat","time":1700000015000000000}""";

    public const string PongMessagePack =
        "83 a4 74 79 70 65 a4 70 6f 6e 67 a2 69 64 03 a4 " +
        "74 69 6d 65 cf 17 97 9c fe 71 c4 ca 00";

    public const string PongJson =
        """{"type":"pong","id":3,"time":1700000001000000000}""";

    public const string StatusMessagePack =
        "83 a4 74 79 70 65 a6 73 74 61 74 75 73 a4 66 65 " +
        "65 64 a4 64 6f 77 6e a6 72 65 61 73 6f 6e af 6e " +
        "6f 20 64 61 74 61 20 66 6f 72 20 35 20 73";

    public const string StatusJson =
        """{"type":"status","feed":"down","reason":"no data for 5 s"}""";

    public const string NoticeMessagePack =
        "83 a4 74 79 70 65 a6 6e 6f 74 69 63 65 a7 6d 65 " +
        "73 73 61 67 65 b8 6d 61 69 6e 74 65 6e 61 6e 63 " +
        "65 20 61 74 20 32 32 3a 30 30 20 55 54 43 a4 74 " +
        "69 6d 65 cf 17 97 9d 02 de 41 c8 00";

    public const string NoticeJson =
        """{"type":"notice","message":"maintenance at 22:00 UTC","time":1700000020000000000}""";

    public const string SubscribeMessagePack =
        "84 a4 74 79 70 65 a9 73 75 62 73 63 72 69 62 65 " +
        "a2 69 64 01 a7 73 79 6d 62 6f 6c 73 92 a6 45 55 " +
        "52 55 53 44 a6 47 42 50 55 53 44 a7 6d 61 78 52 " +
        "61 74 65 0a";

    public const string SubscribeJson =
        """{"type":"subscribe","id":1,"symbols":["EURUSD","GBPUSD"],"maxRate":10}""";

    public const string UnsubscribeMessagePack =
        "83 a4 74 79 70 65 ab 75 6e 73 75 62 73 63 72 69 " +
        "62 65 a2 69 64 02 a7 73 79 6d 62 6f 6c 73 91 a6 " +
        "45 55 52 55 53 44";

    public const string UnsubscribeJson =
        """{"type":"unsubscribe","id":2,"symbols":["EURUSD"]}""";

    public const string PingMessagePack =
        "82 a4 74 79 70 65 a4 70 69 6e 67 a2 69 64 03";

    public const string PingJson =
        """{"type":"ping","id":3}""";

    public const string AuthMessagePack =
        "82 a4 74 79 70 65 a4 61 75 74 68 a5 74 6f 6b 65 " +
        "6e bd 65 79 4a 68 62 47 63 69 4f 69 4a 49 55 7a " +
        "49 31 4e 69 4a 39 2e 65 33 30 2e 63 32 6c 6e";

    public const string AuthJson =
        """{"type":"auth","token":"eyJhbGciOiJIUzI1NiJ9.e30.c2ln"}""";

    public const string SnapshotMessagePack =
        "82 a4 74 79 70 65 a8 73 6e 61 70 73 68 6f 74 a6 " +
        "70 72 69 63 65 73 92 89 a4 74 79 70 65 a5 70 72 " +
        "69 63 65 a6 73 79 6d 62 6f 6c a6 45 55 52 55 53 " +
        "44 a3 62 69 64 83 a5 70 72 69 63 65 cb 3f f1 55 " +
        "9b 3d 07 c8 4b a4 73 69 7a 65 cb 41 2e 84 80 00 " +
        "00 00 00 a6 73 6f 75 72 63 65 a4 4c 4d 41 58 a3 " +
        "61 73 6b 83 a5 70 72 69 63 65 cb 3f f1 56 6c f4 " +
        "1f 21 2d a4 73 69 7a 65 cb 41 43 12 d0 00 00 00 " +
        "00 a6 73 6f 75 72 63 65 a3 45 42 53 a3 6d 69 64 " +
        "cb 3f f1 56 04 18 93 74 bc a6 73 70 72 65 61 64 " +
        "cb 3f 2a 36 e2 eb 1c 40 00 a9 73 70 72 65 61 64 " +
        "42 70 73 cb 3f fd 88 ae d7 3e 3e 59 a9 74 69 6d " +
        "65 73 74 61 6d 70 cf 17 97 9c fe 3d 85 cd 15 a8 " +
        "73 65 71 75 65 6e 63 65 2a 89 a4 74 79 70 65 a5 " +
        "70 72 69 63 65 a6 73 79 6d 62 6f 6c a7 42 54 43 " +
        "2d 55 53 44 a3 62 69 64 83 a5 70 72 69 63 65 cb " +
        "40 ef 40 10 00 00 00 00 a4 73 69 7a 65 cb 3f d0 " +
        "00 00 00 00 00 00 a6 73 6f 75 72 63 65 a2 43 42 " +
        "a3 61 73 6b 83 a5 70 72 69 63 65 cb 40 ef 40 20 " +
        "00 00 00 00 a4 73 69 7a 65 cb 3f f8 00 00 00 00 " +
        "00 00 a6 73 6f 75 72 63 65 a4 4b 52 4b 4e a3 6d " +
        "69 64 cb 40 ef 40 18 00 00 00 00 a6 73 70 72 65 " +
        "61 64 cb 3f e0 00 00 00 00 00 00 a9 73 70 72 65 " +
        "61 64 42 70 73 cb 3f b3 ff f0 a3 e2 d6 1b a9 74 " +
        "69 6d 65 73 74 61 6d 70 cf 17 97 9c fe 43 7b ae " +
        "15 a8 73 65 71 75 65 6e 63 65 07";

    public const string SnapshotJson =
        """{"type":"snapshot","prices":[{"type":"price","symbol":"EURUSD","bid":{"price":1.0834,"size":1000000,"source":"LMAX"},"ask":{"price":1.0836,"size":2500000,"source":"EBS"},"mid":1.0835,"spread":0.00019999999999997797,"spreadBps":1.8458698661742317,"timestamp":1700000000123456789,"sequence":42},{"type":"price","symbol":"BTC-USD","bid":{"price":64000.5,"size":0.25,"source":"CB"},"ask":{"price":64001,"size":1.5,"source":"KRKN"},"mid":64000.75,"spread":0.5,"spreadBps":0.07812408448338497,"timestamp":1700000000223456789,"sequence":7}]}""";
}
