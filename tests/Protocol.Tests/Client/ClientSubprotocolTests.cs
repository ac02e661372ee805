namespace Edge.Protocol.Tests.Client;

public sealed class ClientSubprotocolTests
{
    [TestCase(null, ClientEncoding.MessagePack, null)]
    [TestCase("", ClientEncoding.MessagePack, null)]
    [TestCase("edge.v1.msgpack", ClientEncoding.MessagePack, "edge.v1.msgpack")]
    [TestCase("edge.v1.json", ClientEncoding.Json, "edge.v1.json")]
    [TestCase("edge.v2.cbor, edge.v1.json, edge.v1.msgpack", ClientEncoding.Json, "edge.v1.json")]
    [TestCase("edge.v1.msgpack,edge.v1.json", ClientEncoding.MessagePack, "edge.v1.msgpack")]
    [TestCase(" \tedge.v1.json ", ClientEncoding.Json, "edge.v1.json")]
    public void Picks_the_first_supported_token_in_the_clients_order(string? offered, ClientEncoding encoding, string? selected)
    {
        Assert.That(ClientSubprotocol.TryNegotiate(offered, out var actualEncoding, out var actualSelected), Is.True);
        Assert.That((actualEncoding, actualSelected), Is.EqualTo((encoding, selected)));
    }

    [TestCase("chat")]
    [TestCase("EDGE.V1.JSON")]
    [TestCase("edge.v1.json2, mqtt")]
    public void Refuses_an_offer_with_no_supported_token(string offered)
    {
        Assert.That(ClientSubprotocol.TryNegotiate(offered, out _, out var selected), Is.False);
        Assert.That(selected, Is.Null);
    }
}
