using DotNetty.Common.Internal.Logging;
using Edge.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Edge.Server.Hosting;

/// <summary>
/// Logging: the JSON console formatter (one object per line, for log shippers) or plain text (Log:Format; by
/// default text on a terminal and JSON otherwise), and DotNetty's own
/// warnings routed to the same place so a failure inside the pipeline is never silent.
/// </summary>
public static class EdgeLogging
{
    public static ILoggerFactory Create(LoggingOptions options)
    {
        var factory = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(options.Level);
            if (options.UsesText(stdoutIsTerminal: !Console.IsOutputRedirected))
            {
                builder.AddSimpleConsole(static console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss.fff ";
                });
            }
            else
            {
                builder.AddJsonConsole(static console =>
                {
                    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    console.UseUtcTimestamp = true;
                });
            }

            builder.AddFilter("DotNetty", LogLevel.Warning);
        });
        InternalLoggerFactory.DefaultFactory = factory;
        return factory;
    }
}
