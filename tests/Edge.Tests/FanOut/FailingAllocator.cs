using DotNetty.Buffers;

namespace Edge.Server.Tests.FanOut;

/// <summary>An allocator that refuses every buffer: a channel with it makes the fan-out throw while serving that channel.</summary>
internal sealed class FailingAllocator : AbstractByteBufferAllocator
{
    public override bool IsDirectBufferPooled => false;

    protected override IByteBuffer NewHeapBuffer(int initialCapacity, int maxCapacity) =>
        throw new InvalidOperationException("allocator failure injected by the test");

    protected override IByteBuffer NewDirectBuffer(int initialCapacity, int maxCapacity) =>
        throw new InvalidOperationException("allocator failure injected by the test");
}
