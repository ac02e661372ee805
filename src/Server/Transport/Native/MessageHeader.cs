namespace Edge.Server.Transport.Native;

/// <summary>
/// struct msghdr on 64-bit Linux (glibc and musl: the fields line up; musl's int msg_iovlen is followed by padding,
/// so writing it as a machine word is the same bytes on little-endian). Only the vectors are used: no address, no
/// control data.
/// </summary>
internal unsafe struct MessageHeader
{
    public void* Name;
    public uint NameLength;
    public IoVector* Vectors;
    public nuint VectorCount;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}
