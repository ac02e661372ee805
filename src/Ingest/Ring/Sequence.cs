using System.Runtime.InteropServices;

namespace Edge.Ingest.Ring;

/// <summary>
/// A sequence number on its own cache lines: 56 bytes of padding on each side of the value, so the
/// producer's cursor and each consumer's progress never share a line with anything another thread writes
/// (false sharing would cost a cache-line transfer on every write).
/// </summary>
/// <remarks>
/// Reads are acquire, <see cref="SetValue"/> is a release store (a plain store on x64), which is all the
/// ring's protocol needs: a consumer that sees a sequence also sees the slot writes made before it.
/// </remarks>
[StructLayout(LayoutKind.Explicit)]
public sealed class Sequence
{
    /// <summary>The value of a sequence nothing has been published to or processed through yet.</summary>
    public const long InitialValue = -1;

    private const int Padding = 56;

    [FieldOffset(Padding)]
    private long _value;

    // The runtime ignores StructLayout.Size on classes, so the trailing padding needs a field at its end.
#pragma warning disable CS0169, IDE0044, IDE0051 // never read or written: it only reserves space
    [FieldOffset(Padding + sizeof(long) + Padding - sizeof(long))]
    private long _trailingPadding;
#pragma warning restore CS0169, IDE0044, IDE0051

    public Sequence(long initialValue = InitialValue) => _value = initialValue;

    /// <summary>Acquire read of the current value.</summary>
    public long Value => Volatile.Read(ref _value);

    /// <summary>Release store: earlier writes (the slot) become visible no later than this value.</summary>
    public void SetValue(long value) => Volatile.Write(ref _value, value);

    /// <summary>Store followed by a full fence, for the rare places that must not let a later load pass it.</summary>
    public void SetValueVolatile(long value) => Interlocked.Exchange(ref _value, value);

    public bool CompareAndSet(long expected, long value) =>
        Interlocked.CompareExchange(ref _value, value, expected) == expected;

    public long AddAndGet(long increment) => Interlocked.Add(ref _value, increment);

    public long IncrementAndGet() => Interlocked.Increment(ref _value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Gives the layout test the field's address; never used on a hot path.</summary>
    internal ref long ValueReference => ref _value;
}
