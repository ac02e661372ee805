using Edge.Ingest.Prices;
using Edge.Ingest.Ring;

namespace Edge.Server.FanOut;

/// <summary>The ring handler for <see cref="FrameStage"/>: a struct, so the processor's call is devirtualised.</summary>
public readonly struct FrameStageHandler : IEventHandler<PriceSlot>
{
    private readonly FrameStage _stage;

    public FrameStageHandler(FrameStage stage)
    {
        _stage = stage;
    }

    public void OnEvent(ref PriceSlot slot, long sequence, bool endOfBatch) => _stage.OnEvent(ref slot, sequence, endOfBatch);
}
