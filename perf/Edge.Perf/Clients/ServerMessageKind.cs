namespace Edge.Perf.Clients;

internal enum ServerMessageKind
{
    Other,
    Price,
    Snapshot,
    Ack,
    AckWithErrors,
    Error,
    Malformed,
}
