namespace Edge.Perf.Clients;

internal enum ServerMessageKind
{
    Other,

    /// <summary>socket.io: the namespace's CONNECT reply (<c>40/market-data,{"sid":…}</c>): the subscribe may follow.</summary>
    Joined,
    Price,
    Snapshot,
    Ack,
    AckWithErrors,
    Error,
    Malformed,
}
