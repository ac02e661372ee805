namespace Edge.Protocol.Tests.WebSockets;

public sealed class WebSocketMaskTests
{
    [Test]
    public void Matches_a_byte_by_byte_xor_for_every_length_and_offset()
    {
        var random = new Random(11);
        byte[] key = [0x37, 0xfa, 0x21, 0x3d];
        for (var length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            for (var offset = 0; offset < 8; offset++)
            {
                var expected = new byte[length];
                for (var i = 0; i < length; i++)
                {
                    expected[i] = (byte)(data[i] ^ key[(offset + i) % 4]);
                }

                var actual = (byte[])data.Clone();
                WebSocketMask.Apply(actual, 0x37fa213d, offset);

                Assert.That(actual, Is.EqualTo(expected), $"length {length}, offset {offset}");
            }
        }
    }

    [Test]
    public void Unmasking_in_pieces_equals_unmasking_at_once()
    {
        var random = new Random(3);
        var data = new byte[1000];
        random.NextBytes(data);
        var whole = (byte[])data.Clone();
        WebSocketMask.Apply(whole, 0xdeadbeef);

        var pieces = (byte[])data.Clone();
        var position = 0;
        while (position < pieces.Length)
        {
            var length = Math.Min(random.Next(1, 70), pieces.Length - position);
            WebSocketMask.Apply(pieces.AsSpan(position, length), 0xdeadbeef, position);
            position += length;
        }

        Assert.That(pieces, Is.EqualTo(whole));
    }
}
