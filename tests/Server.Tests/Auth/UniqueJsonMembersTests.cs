using System.Buffers.Text;
using System.Text;
using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

public sealed class UniqueJsonMembersTests
{
    [TestCase("""{"alg":"HS256","typ":"JWT"}""")]
    [TestCase("""{"a":{"x":1},"b":{"x":2},"x":3}""")]
    [TestCase("""{"list":[{"a":1},{"a":2}],"a":[1,1]}""")]
    [TestCase("""{"A":1,"a":2,"a ":3}""")]
    [TestCase("""{}""")]
    public void Distinct_members_in_each_object_pass(string json) => Assert.That(Check(json), Is.True);

    [TestCase("""{"alg":"none","alg":"HS256"}""", TestName = "A top-level member twice")]
    [TestCase("""{"alg":"HS256","\u0061lg":"HS256"}""", TestName = "The same name once escaped")]
    [TestCase("""{"a\/b":1,"a/b":2}""", TestName = "An escaped solidus")]
    [TestCase("""{"ctx":{"role":"a","role":"b"}}""", TestName = "A nested member twice")]
    [TestCase("""{"list":[{"a":1,"b":{"c":1,"c":2}}]}""", TestName = "A member twice in an object inside an array")]
    [TestCase("""{"a":1,"x":{"b":1},"a":2}""", TestName = "A member twice around a nested object")]
    public void A_duplicate_member_anywhere_fails(string json) => Assert.That(Check(json), Is.False);

    [TestCase("""{"a":1""")]
    [TestCase("""{"a":1}{}""")]
    [TestCase("""{"a":1,}""")]
    public void Broken_json_fails(string json) => Assert.That(Check(json), Is.False);

    [Test]
    public void Objects_with_very_many_members_are_checked_too()
    {
        var members = Enumerable.Range(0, 500).Select(i => $"\"m{i}\":{i}").ToList();
        var unique = "{" + string.Join(',', members) + "}";
        var duplicated = "{" + string.Join(',', members) + ",\"m3\":0}";

        Assert.That(Check(unique), Is.True);
        Assert.That(Check(duplicated), Is.False);
    }

    [Test]
    public void A_base64url_segment_is_decoded_first()
    {
        Assert.That(UniqueJsonMembers.InSegment(Base64Url.EncodeToString("""{"a":1}"""u8)), Is.True);
        Assert.That(UniqueJsonMembers.InSegment(Base64Url.EncodeToString("""{"a":1,"a":1}"""u8)), Is.False);
        Assert.That(UniqueJsonMembers.InSegment("e30*"), Is.False);
    }

    private static bool Check(string json) => UniqueJsonMembers.InJson(Encoding.UTF8.GetBytes(json));
}
