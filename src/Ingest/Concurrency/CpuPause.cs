using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Edge.Ingest.Concurrency;

/// <summary>
/// One spin-loop hint (x86 PAUSE; Arm YIELD): frees the pipeline and the sibling hyper-thread while a loop polls
/// (the ring's wait strategies on a sequence, the Aeron receiver's busy-spin idle on its socket).
/// <see cref="Thread.SpinWait(int)"/> with 1 is several times longer, too coarse for a check loop.
/// </summary>
internal static class CpuPause
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Once()
    {
        if (X86Base.IsSupported)
        {
            X86Base.Pause();
        }
        else if (ArmBase.IsSupported)
        {
            ArmBase.Yield();
        }
        else
        {
            Thread.SpinWait(1);
        }
    }
}
