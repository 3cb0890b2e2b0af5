using System.Buffers;
using System.Text.Json;
using BetterAuth.Core.Json;

namespace BetterAuth.Plugins.Organization;

/// <summary>Organization metadata: stored as compact JSON text (JSON.stringify), answered parsed by create and update.</summary>
internal static class OrganizationMetadata
{
    /// <summary>The object as JSON.stringify writes it: compact, strings escaped the JavaScript way.</summary>
    public static string Serialize(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsStringEncoder.Instance }))
            value.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Stored text → JSON value; empty → none; text that is not JSON is answered as a string, as Better Auth's parser does.</summary>
    public static JsonElement? Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try
        {
            using var doc = JsonDocument.Parse(stored);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(stored);
            using var doc = JsonDocument.Parse(buffer.WrittenMemory);
            return doc.RootElement.Clone();
        }
    }
}
