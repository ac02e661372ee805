using System.Text;
using Edge.Server.Admin;

namespace Edge.Server.Tests.Admin;

public sealed class BroadcastRequestTests
{
    [Test]
    public void Reads_tenant_and_message_unescaped_and_ignores_unknown_keys_of_any_shape()
    {
        var body = """{"priority":{"level":[1,2,{"x":null}]},"tenant":"acme","message":"line one\nsays \"hi\" \u00e9","extra":true}""";

        Assert.That(BroadcastRequest.TryParse(Encoding.UTF8.GetBytes(body), out var request, out var error), Is.True, error);

        Assert.That(request!.Tenant, Is.EqualTo("acme"));
        Assert.That(request.Message, Is.EqualTo("line one\nsays \"hi\" é"));
    }

    [TestCase("", "malformed JSON")]
    [TestCase("   ", "malformed JSON")]
    [TestCase("{\"tenant\":\"acme\"", "malformed JSON")]
    [TestCase("{\"tenant\":\"acme\",\"message\":\"x\",}", "malformed JSON")]
    [TestCase("\"acme\"", "the body must be a JSON object")]
    [TestCase("{\"tenant\":\"acme\",\"message\":\"x\"} {}", "malformed JSON")]
    [TestCase("{\"tenant\":1,\"message\":\"x\"}", "tenant must be a string")]
    [TestCase("{\"tenant\":\"acme\",\"message\":null}", "message must be a string")]
    [TestCase("{\"tenant\":\"a\",\"tenant\":\"b\",\"message\":\"x\"}", "tenant is given twice")]
    [TestCase("{\"message\":\"x\"}", "tenant is required")]
    [TestCase("{\"tenant\":\"\",\"message\":\"x\"}", "tenant is required")]
    [TestCase("{\"tenant\":\"acme\"}", "message is required")]
    public void Refuses_with_a_reason(string body, string reason)
    {
        Assert.That(BroadcastRequest.TryParse(Encoding.UTF8.GetBytes(body), out var request, out var error), Is.False);

        Assert.That(request, Is.Null);
        Assert.That(error, Is.EqualTo(reason));
    }

    [Test]
    public void The_message_limit_is_1024_bytes_of_UTF8_not_characters()
    {
        var atLimit = Encoding.UTF8.GetBytes($"{{\"tenant\":\"t\",\"message\":\"{new string('€', 341)}a\"}}");
        var overLimit = Encoding.UTF8.GetBytes($"{{\"tenant\":\"t\",\"message\":\"{new string('€', 341)}ab\"}}");

        Assert.That(BroadcastRequest.TryParse(atLimit, out _, out _), Is.True, "341 × 3 bytes + 1 = 1024");
        Assert.That(BroadcastRequest.TryParse(overLimit, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("message is over 1024 bytes of UTF-8"));
    }

    [Test]
    public void Invalid_UTF8_inside_a_string_is_malformed_not_an_exception()
    {
        byte[] body = [.. "{\"tenant\":\"t\",\"message\":\"a"u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.That(BroadcastRequest.TryParse(body, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("malformed JSON"));
    }

    [Test]
    public void Never_throws_on_garbage()
    {
        var seed = Encoding.UTF8.GetBytes("""{"tenant":"acme","message":"maintenance at 22:00 UTC","x":[1,{"y":"z"}]}""");
        var random = new Random(11);
        for (var i = 0; i < 5_000; i++)
        {
            var buffer = seed.AsSpan(0, random.Next(seed.Length + 1)).ToArray();
            for (var m = random.Next(0, 3); m > 0 && buffer.Length > 0; m--)
            {
                buffer[random.Next(buffer.Length)] = (byte)random.Next(256);
            }

            Assert.DoesNotThrow(() => BroadcastRequest.TryParse(buffer, out _, out _));
        }
    }
}
