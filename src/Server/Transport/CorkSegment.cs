namespace Edge.Server.Transport;

/// <summary>
/// One frame of a <see cref="GatherCork"/>: either where it lies in pinned memory (<see cref="Address"/>), or, for a
/// frame that had to be copied, its offset in the cork's own copy buffer (<see cref="Address"/> 0), resolved when the
/// cork is written because that buffer may have grown since.
/// </summary>
internal struct CorkSegment
{
    public nint Address;
    public int CopyOffset;
    public int Length;
}
