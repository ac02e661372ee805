using System.Diagnostics.CodeAnalysis;
using DotNetty.Transport.Channels;

namespace Edge.Server.Transport;

/// <summary>
/// DotNetty 0.7.6 decides which handler methods to skip by reflecting over each handler type's public methods
/// (<c>AbstractChannelHandlerContext.IsSkippable</c>, the one IL2070 it raises). In a trimmed binary those
/// methods must survive, or the pipeline's static initialisers fail with a TypeInitializationException.
/// Handlers are therefore added only through <see cref="Append{T}"/>, whose type parameter keeps them, and
/// DotNetty's own internal contexts are rooted here.
/// </summary>
public static class TrimSafePipeline
{
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, "DotNetty.Transport.Channels.DefaultChannelPipeline.HeadContext", "DotNetty.Transport")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, "DotNetty.Transport.Channels.DefaultChannelPipeline.TailContext", "DotNetty.Transport")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, "DotNetty.Transport.Bootstrapping.ServerBootstrap.ServerBootstrapAcceptor", "DotNetty.Transport")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, "DotNetty.Transport.Channels.ActionChannelInitializer`1", "DotNetty.Transport")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods, "DotNetty.Transport.Channels.ChannelInitializer`1", "DotNetty.Transport")]
    public static void RootDotNettyInternals()
    {
    }

    public static IChannelPipeline Append<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] T>(
        this IChannelPipeline pipeline, string name, T handler)
        where T : class, IChannelHandler =>
        pipeline.AddLast(name, handler);

    /// <summary>Adds a handler before another, keeping its public methods in the trimmed binary like <see cref="Append{T}"/>.</summary>
    public static IChannelPipeline InsertBefore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] T>(
        this IChannelPipeline pipeline, string baseName, string name, T handler)
        where T : class, IChannelHandler =>
        pipeline.AddBefore(baseName, name, handler);
}
