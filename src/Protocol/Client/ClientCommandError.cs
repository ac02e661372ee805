namespace Edge.Protocol.Client;

/// <summary>
/// Why a client message was refused as a whole; the server answers with an <c>error</c> message
/// carrying <see cref="Code"/>, <see cref="Message"/> and, when it could be read, <see cref="Id"/>.
/// </summary>
public readonly record struct ClientCommandError(ErrorCode Code, string Message, long? Id);
