namespace Edge.Ingest.Ring;

/// <summary>The smallest value in a set of sequences: how far the slowest gating consumer has got.</summary>
internal static class MinimumSequence
{
    /// <summary>Minimum of <paramref name="sequences"/> and <paramref name="upperBound"/> (returned when the set is empty).</summary>
    public static long Of(Sequence[] sequences, long upperBound)
    {
        var minimum = upperBound;
        foreach (var sequence in sequences)
        {
            var value = sequence.Value;
            if (value < minimum)
            {
                minimum = value;
            }
        }

        return minimum;
    }
}
