using System.Runtime.CompilerServices;

namespace Edge.Server.Transport;

/// <summary>
/// The first frames of a <see cref="GatherCork"/>, held inside it (and so inside its transport object): most drains
/// cork a few frames per connection, which then need no separate array to load.
/// </summary>
[InlineArray(Length)]
internal struct InlineCorkSegments
{
    public const int Length = 8;

    private CorkSegment _first;
}
