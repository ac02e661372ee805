namespace Edge.Server.Hosting;

/// <summary>What a <see cref="ShutdownDrain"/> did: the clients it asked to go away, and how many it had to cut.</summary>
/// <param name="Clients">Market-data sessions sent close 1001.</param>
/// <param name="Forced">Of those, the connections still open at the drain timeout, closed without their handshake.</param>
public readonly record struct ShutdownDrainResult(int Clients, int Forced);
