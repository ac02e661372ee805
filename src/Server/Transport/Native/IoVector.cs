namespace Edge.Server.Transport.Native;

/// <summary>struct iovec: one piece of a gathered write (its memory must not move while the call runs).</summary>
internal unsafe struct IoVector
{
    public byte* Base;
    public nuint Length;
}
