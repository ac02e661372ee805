using System.Runtime.CompilerServices;
using X86Sse = System.Runtime.Intrinsics.X86.Sse;

namespace Edge.Server.Transport;

/// <summary>
/// Software prefetch of an object's first cache line, for walks over thousands of connections' objects: the fan-out
/// asks for the objects a few steps ahead so that its loads find them in cache instead of stalling on memory. A hint
/// only (x86; nothing elsewhere): it never faults and changes no behaviour.
/// </summary>
internal static class CacheHint
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(object? target)
    {
        if (X86Sse.IsSupported && target is not null)
        {
            // The reference is the object's address; a GC may move the object later, and a stale prefetch costs nothing.
            X86Sse.Prefetch0(*(void**)Unsafe.AsPointer(ref target));
        }
    }
}
