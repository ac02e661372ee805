using System.Text.Unicode;

namespace Edge.Protocol.Tests.WebSockets;

public sealed class Utf8StreamValidatorTests
{
    [Test]
    public void Accepts_valid_text_split_at_every_position()
    {
        var text = Encoding.UTF8.GetBytes("κόσμε ASCII é € 𝄞 東京 \U0010FFFF");
        for (var split = 0; split <= text.Length; split++)
        {
            for (var split2 = split; split2 <= text.Length; split2++)
            {
                var validator = default(Utf8StreamValidator);
                Assert.That(validator.Append(text.AsSpan(0, split), false), Is.True, $"{split}/{split2}");
                Assert.That(validator.Append(text.AsSpan(split, split2 - split), false), Is.True, $"{split}/{split2}");
                Assert.That(validator.Append(text.AsSpan(split2), true), Is.True, $"{split}/{split2}");
                Assert.That(validator.IsInsideSequence, Is.False);
            }
        }
    }

    [Test]
    public void Fails_fast_on_a_surrogate_before_the_message_ends()
    {
        // Autobahn 6.4.1: "κόσμε" then ED A0 80 (a UTF-16 surrogate) then "edited".
        var validator = default(Utf8StreamValidator);

        Assert.That(validator.Append(Hex.Bytes("ce ba e1 bd b9 cf 83 ce bc ce b5"), false), Is.True);
        Assert.That(validator.Append(Hex.Bytes("ed a0 80"), false), Is.False);
    }

    [Test]
    public void Fails_fast_when_a_carried_sequence_goes_bad()
    {
        var validator = default(Utf8StreamValidator);

        Assert.That(validator.Append(Hex.Bytes("41 f4"), false), Is.True);
        Assert.That(validator.IsInsideSequence, Is.True);
        Assert.That(validator.Append(Hex.Bytes("90"), false), Is.False); // F4 90 is above U+10FFFF
    }

    [Test]
    public void Fails_fast_on_a_bad_prefix_at_the_end_of_a_fragment()
    {
        var validator = default(Utf8StreamValidator);

        Assert.That(validator.Append(Hex.Bytes("41 e0 80"), false), Is.False); // overlong: E0 needs A0..BF next
    }

    [Test]
    public void A_message_that_ends_inside_a_sequence_is_invalid()
    {
        var validator = default(Utf8StreamValidator);

        Assert.That(validator.Append(Hex.Bytes("e2 82"), false), Is.True);
        Assert.That(validator.Append([], true), Is.False);
    }

    [Test]
    public void A_sequence_can_span_three_fragments()
    {
        var validator = default(Utf8StreamValidator);

        Assert.That(validator.Append(Hex.Bytes("f0"), false), Is.True);
        Assert.That(validator.Append(Hex.Bytes("9d"), false), Is.True);
        Assert.That(validator.Append(Hex.Bytes("84"), false), Is.True);
        Assert.That(validator.Append(Hex.Bytes("9e 41"), true), Is.True); // U+1D11E then "A"
    }

    [Test]
    public void Agrees_with_whole_message_validation_on_random_bytes_and_random_splits()
    {
        var random = new Random(42);
        var alphabet = Hex.Bytes("41 7f 80 bf c0 c2 df e0 a0 ed 9f f0 90 f4 8f f5 ff ce ba e2 82 ac");
        var valid = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var message = new byte[random.Next(0, 24)];
            for (var j = 0; j < message.Length; j++)
            {
                message[j] = alphabet[random.Next(alphabet.Length)];
            }

            var validator = default(Utf8StreamValidator);
            var accepted = true;
            var position = 0;
            while (accepted)
            {
                var length = Math.Min(random.Next(0, 6), message.Length - position);
                var isFinal = position + length == message.Length && random.Next(3) != 0;
                accepted = validator.Append(message.AsSpan(position, length), isFinal);
                position += length;
                if (isFinal)
                {
                    break;
                }
            }

            var expected = Utf8.IsValid(message);
            valid += expected ? 1 : 0;
            Assert.That(accepted, Is.EqualTo(expected), Hex.Spaced(message));
        }

        Assert.That(valid, Is.GreaterThan(100));
    }
}
