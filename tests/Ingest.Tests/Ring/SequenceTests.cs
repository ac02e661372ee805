using System.Runtime.CompilerServices;

namespace Edge.Ingest.Tests.Ring;

public sealed class SequenceTests
{
    [Test]
    public void Value_is_padded_by_at_least_56_bytes_on_both_sides()
    {
        var sequence = new Sequence();

        // Offset of the value from the object's first field byte, and the bytes the object takes after it.
        var offset = Unsafe.ByteOffset(ref Unsafe.As<RawObject>(sequence).FirstByte, ref Unsafe.As<long, byte>(ref sequence.ValueReference));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var another = new Sequence();
        var objectBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(another);

        const long headerAndMethodTable = 2 * sizeof(long);
        var fieldBytes = objectBytes - headerAndMethodTable;
        Assert.Multiple(() =>
        {
            Assert.That((long)offset, Is.GreaterThanOrEqualTo(56), "bytes before the value");
            Assert.That(fieldBytes - (long)offset - sizeof(long), Is.GreaterThanOrEqualTo(56), "bytes after the value");
        });
    }

    [Test]
    public void Starts_at_minus_one_and_updates()
    {
        var sequence = new Sequence();
        Assert.That(sequence.Value, Is.EqualTo(-1));

        sequence.SetValue(10);
        Assert.That(sequence.Value, Is.EqualTo(10));
        Assert.That(sequence.CompareAndSet(9, 20), Is.False);
        Assert.That(sequence.CompareAndSet(10, 20), Is.True);
        Assert.That(sequence.AddAndGet(5), Is.EqualTo(25));
        Assert.That(sequence.IncrementAndGet(), Is.EqualTo(26));
        sequence.SetValueVolatile(3);
        Assert.That(sequence.Value, Is.EqualTo(3));
    }

    private sealed class RawObject
    {
#pragma warning disable CS0649 // only its address is used
        public byte FirstByte;
#pragma warning restore CS0649
    }
}
