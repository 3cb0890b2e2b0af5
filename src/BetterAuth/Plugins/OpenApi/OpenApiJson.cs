using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BetterAuth.Plugins.OpenApi;

/// <summary>The document is built as a JSON node tree; this lets the pipeline's source-generated options write it.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class OpenApiJsonContext : JsonSerializerContext;
