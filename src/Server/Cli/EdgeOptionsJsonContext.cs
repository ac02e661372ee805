using System.Text.Json.Serialization;
using Edge.Server.Configuration;

namespace Edge.Server.Cli;

/// <summary>Source-generated JSON for printing <see cref="EdgeOptions"/> (check-config); no reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(EdgeOptions))]
internal sealed partial class EdgeOptionsJsonContext : JsonSerializerContext
{
}
