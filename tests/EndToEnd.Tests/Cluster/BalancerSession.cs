namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>One client connection HAProxy is carrying (a line of its <c>show sess</c>): the client's address and the Edge it went to.</summary>
internal sealed record BalancerSession(string Source, string Server);
