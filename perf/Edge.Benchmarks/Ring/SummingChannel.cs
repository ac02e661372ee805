using System.Threading.Channels;

namespace Edge.Benchmarks.Ring;

/// <summary>
/// The channel the ring is measured against: bounded to the ring's capacity, one reader and one writer, the writer
/// waiting when it is full; its consumer sums every event and publishes how far it got once per drained batch.
/// </summary>
internal static class SummingChannel
{
    public static Channel<PriceLikeSlot> CreateBounded() =>
        Channel.CreateBounded<PriceLikeSlot>(new BoundedChannelOptions(RingRig.Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    public static async Task DrainAsync(ChannelReader<PriceLikeSlot> reader, DrainProgress progress)
    {
        long count = 0;
        long sum = 0;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var item))
            {
                sum += item.Bid;
                count++;
            }

            progress.Sum = sum;
            progress.Publish(count);
        }
    }
}
