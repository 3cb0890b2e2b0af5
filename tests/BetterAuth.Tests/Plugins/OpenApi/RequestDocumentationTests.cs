using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Plugins;
using BetterAuth.Plugins.OpenApi;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.OpenApi;

internal sealed record DemoRequest
{
    [JsonPropertyName("name"), Description("Who is asking")] public required string Name { get; init; }
    [JsonPropertyName("count")] public int? Count { get; init; }
    [JsonPropertyName("tags"), Description("Labels")] public List<string>? Tags { get; init; }
    [JsonPropertyName("kind"), AllowedValues("a", "b")] public string? Kind { get; init; }
    [JsonPropertyName("inner"), Description("Nested")] public DemoInner? Inner { get; init; }
}

internal sealed record DemoInner
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("on")] public bool? On { get; init; }
}

internal sealed record OtherRequest
{
    [JsonPropertyName("x")] public string? X { get; init; }
}

[JsonSerializable(typeof(DemoRequest))]
[JsonSerializable(typeof(OtherRequest))]
internal sealed partial class DemoRequestJsonContext : JsonSerializerContext;

/// <summary>
/// An endpoint's documented body and query are derived from the request type its handler reads, and the handler can
/// read no other type: the OpenAPI document cannot drift from what is read.
/// </summary>
public sealed class RequestDocumentationTests
{
    private sealed class DemoPlugin : IBetterAuthPlugin
    {
        public string Id => "demo";

        public void Configure(AuthPluginBuilder builder)
        {
            builder.AddEndpoint(AuthEndpoint.Post("/demo/echo", ctx =>
            {
                var body = ctx.ReadBody(DemoRequestJsonContext.Default.DemoRequest);
                return ValueTask.FromResult(AuthResult.Json(new StatusResponse(body.Inner?.On == true)));
            }) with
            { Request = DemoRequestJsonContext.Default.DemoRequest });
            builder.AddEndpoint(AuthEndpoint.Get("/demo/find", _ => ValueTask.FromResult(AuthResult.Json(StatusResponse.True)))
                with
            { Request = DemoRequestJsonContext.Default.DemoRequest });
            // Reads a type it does not declare: a programming error, refused before the body is looked at.
            builder.AddEndpoint(AuthEndpoint.Post("/demo/undeclared", ctx =>
            {
                ctx.ReadBody(DemoRequestJsonContext.Default.OtherRequest);
                return ValueTask.FromResult(AuthResult.Json(StatusResponse.True));
            }) with
            { Request = DemoRequestJsonContext.Default.DemoRequest });
        }
    }

    private static Task<AuthTestHost> StartAsync() =>
        AuthTestHost.StartAsync(o => { o.Plugins.Add(new DemoPlugin()); o.Plugins.Add(new OpenApiPlugin()); });

    private const string ExpectedFields = """
        {"type":"object","properties":{"name":{"type":"string","description":"Who is asking"},"count":{"type":"number"},"tags":{"type":"array","items":{"type":"string"},"description":"Labels"},"kind":{"type":"string","enum":["a","b"]},"inner":{"type":"object","properties":{"id":{"type":"string"},"on":{"type":"boolean"}},"required":["id"],"description":"Nested"}},"required":["name"]}
        """;

    [Fact]
    public async Task Body_IsTheRequestTypesMembers_WithTypesRequiredFlagsAndDescriptions()
    {
        await using var host = await StartAsync();
        var document = (await host.Client().GetAsync("/open-api/generate-schema")).Json!;
        var requestBody = document["paths"]!["/demo/echo"]!["post"]!["requestBody"]!;
        Assert.True(requestBody["required"]!.GetValue<bool>());
        Assert.Equal(ExpectedFields, requestBody["content"]!["application/json"]!["schema"]!.ToJsonString());

        // What is documented is what the handler reads: the required member, a nested object.
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/demo/echo", new { count = 1 })).Code);
        Assert.Equal("{\"status\":true}", (await host.Client().PostAsync("/demo/echo", new { name = "n", inner = new { id = "i", on = true } })).Text);
    }

    [Fact]
    public async Task Query_OfAGet_IsTheRequestTypesMembers()
    {
        await using var host = await StartAsync();
        var document = (await host.Client().GetAsync("/open-api/generate-schema")).Json!;
        var parameters = document["paths"]!["/demo/find"]!["get"]!["parameters"]!.AsArray();
        Assert.Equal(["name", "count", "tags", "kind", "inner"], parameters.Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal([true, false, false, false, false], parameters.Select(p => p!["required"]!.GetValue<bool>()));
        Assert.Equal("Who is asking", parameters[0]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadingAnotherTypeThanTheDeclaredRequest_IsRefused()
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/demo/undeclared", new { x = "y" });
        Assert.Equal(500, r.Status);
    }

    [Fact]
    public void AnEndpointWithARequest_TakesNoHandWrittenFields()
    {
        var endpoint = AuthEndpoint.Post("/demo/x", _ => ValueTask.FromResult(AuthResult.Null));
        Assert.Throws<InvalidOperationException>(() => endpoint with
        {
            Request = DemoRequestJsonContext.Default.DemoRequest,
            Body = [ApiFields.Str("name").Required()],
        });
        Assert.Throws<InvalidOperationException>(() => endpoint with
        {
            Query = [ApiFields.Str("name")],
            Request = DemoRequestJsonContext.Default.DemoRequest,
        });
    }
}
