namespace Edge.Protocol.Tests.Client;

/// <summary>Random, truncated and mutated client messages: no exception escapes, and what is accepted obeys the limits.</summary>
public sealed class ClientCommandDecoderFuzzTests
{
    private static readonly ClientCommandLimits Limits = new() { MaxMessageBytes = 512, MaxSymbolsPerRequest = 4 };

    private static readonly byte[][] MessagePackSeeds =
    [
        Hex.Bytes(ClientGoldenVectors.SubscribeMessagePack),
        Hex.Bytes(ClientGoldenVectors.UnsubscribeMessagePack),
        Hex.Bytes(ClientGoldenVectors.PingMessagePack),
        Hex.Bytes(ClientGoldenVectors.AuthMessagePack),
    ];

    private static readonly byte[][] JsonSeeds =
    [
        Encoding.UTF8.GetBytes(ClientGoldenVectors.SubscribeJson),
        Encoding.UTF8.GetBytes(ClientGoldenVectors.UnsubscribeJson),
        Encoding.UTF8.GetBytes(ClientGoldenVectors.PingJson),
        Encoding.UTF8.GetBytes(ClientGoldenVectors.AuthJson),
    ];

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public void Truncations_and_single_byte_mutations(ClientEncoding encoding)
    {
        var accepted = 0;
        foreach (var seed in encoding == ClientEncoding.Json ? JsonSeeds : MessagePackSeeds)
        {
            for (var length = 0; length < seed.Length; length++)
            {
                accepted += Check(encoding, seed.AsSpan(0, length).ToArray()) ? 1 : 0;
            }

            var buffer = new byte[seed.Length];
            for (var position = 0; position < seed.Length; position++)
            {
                for (var value = 0; value < 256; value += 3)
                {
                    seed.CopyTo(buffer, 0);
                    buffer[position] = (byte)value;
                    accepted += Check(encoding, buffer) ? 1 : 0;
                }
            }
        }

        Assert.That(accepted, Is.GreaterThan(0));
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public void Random_buffers_and_multi_byte_mutations(ClientEncoding encoding)
    {
        var random = new Random(encoding == ClientEncoding.Json ? 17 : 23);
        var seeds = encoding == ClientEncoding.Json ? JsonSeeds : MessagePackSeeds;
        for (var i = 0; i < 20_000; i++)
        {
            byte[] buffer;
            if (i % 3 == 0)
            {
                buffer = new byte[random.Next(0, 80)];
                random.NextBytes(buffer);
            }
            else
            {
                var seed = seeds[random.Next(seeds.Length)];
                buffer = seed.AsSpan(0, random.Next(seed.Length / 2, seed.Length + 1)).ToArray();
                for (var m = random.Next(1, 4); m > 0 && buffer.Length > 0; m--)
                {
                    buffer[random.Next(buffer.Length)] = (byte)random.Next(256);
                }
            }

            Check(encoding, buffer);
        }
    }

    private static bool Check(ClientEncoding encoding, byte[] buffer)
    {
        bool ok;
        ClientCommand? command;
        ClientCommandError error;
        try
        {
            ok = ClientCommandDecoder.TryDecode(encoding, buffer, Limits, out command, out error);
        }
        catch (Exception e)
        {
            Assert.Fail($"{encoding} threw {e.GetType().Name}: {e.Message} on {Hex.Spaced(buffer)}");
            throw;
        }

        if (!ok)
        {
            if (command is not null || string.IsNullOrEmpty(error.Message) || !Enum.IsDefined(error.Code))
            {
                Assert.Fail($"inconsistent refusal on {Hex.Spaced(buffer)}");
            }

            return false;
        }

        var consistent = command!.Type switch
        {
            ClientCommandType.Subscribe or ClientCommandType.Unsubscribe =>
                command.Id is >= 0 and <= (1L << 53) - 1
                && command.Symbols.Count + command.SymbolErrors.Count is > 0 and <= 4
                && command.Symbols.All(s => SymbolRules.CheckSymbol(Encoding.UTF8.GetBytes(s)) == TextCheck.Ok)
                && command.MaxRate is null or > 0,
            ClientCommandType.Ping => command.Id is >= 0 and <= (1L << 53) - 1,
            ClientCommandType.Auth => !string.IsNullOrEmpty(command.Token),
            _ => false,
        };
        if (!consistent)
        {
            Assert.Fail($"inconsistent {command.Type} accepted from {Hex.Spaced(buffer)}");
        }

        return true;
    }
}
