using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace BetterAuth.Tests.Plugins.OpenApi;

/// <summary>
/// The standalone server's document (every plugin on, as deployed) against the API spec: each of its 80 operations is
/// there with its method, path, tag and every request field of the spec, required exactly where the spec requires it.
/// </summary>
public sealed class OpenApiSpecCoverageTests(ITestOutputHelper output)
{
    private static async Task<JsonObject> StandaloneDocumentAsync()
    {
        var dir = Directory.CreateTempSubdirectory("ba-openapi-").FullName;
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("DATABASE_URL", Path.Combine(dir, "openapi.db"));
            b.UseSetting("BETTER_AUTH_SECRET", "an-openapi-test-secret-that-is-long-enough-123");
            b.UseSetting("BETTER_AUTH_URL", "http://localhost");
            b.UseSetting("BETTER_AUTH_RATE_LIMIT", "0");
        });
        var text = await factory.CreateClient().GetStringAsync("/api/auth/open-api/generate-schema");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task StandaloneServer_DocumentsEveryOperationOfTheSpec()
    {
        var specFile = SpecOperations.FindSpec();
        Assert.True(specFile is not null, "API spec not found: set BETTER_AUTH_SPEC or keep ../shared/spec/better-auth-api.md next to the repository");
        var spec = SpecOperations.Load(specFile!);
        Assert.Equal(SpecOperations.Expected, spec.Count);

        var paths = (await StandaloneDocumentAsync())["paths"]!.AsObject();
        var problems = new List<string>();
        var covered = 0;
        foreach (var op in spec)
        {
            var before = problems.Count;
            if (paths[op.Path]?[op.Method.ToLowerInvariant()] is not JsonObject operation)
            {
                problems.Add($"{op}: missing");
                continue;
            }
            if (operation["tags"]?[0]?.GetValue<string>() != op.Tag) problems.Add($"{op}: tag {operation["tags"]?.ToJsonString()} is not {op.Tag}");
            if (operation["operationId"] is null) problems.Add($"{op}: no operationId");
            var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
            var properties = schema?["properties"] as JsonObject ?? new JsonObject();
            var required = (schema?["required"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToHashSet() ?? [];
            foreach (var field in op.Body)
            {
                if (!properties.ContainsKey(field.Name)) problems.Add($"{op}: body field {field.Name} missing");
                else if (required.Contains(field.Name) != field.Required)
                    problems.Add($"{op}: body field {field.Name} is {(field.Required ? "required" : "optional")} in the spec");
            }
            foreach (var name in required.Where(r => op.Body.All(f => f.Name != r)))
                problems.Add($"{op}: {name} is required here but not in the spec");
            if (problems.Count == before) covered++;
        }

        output.WriteLine($"operations: {covered}/{SpecOperations.Expected}");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(SpecOperations.Expected, covered);
    }

    [Fact]
    public async Task StandaloneServer_ServesTheReferencePage()
    {
        var dir = Directory.CreateTempSubdirectory("ba-openapi-").FullName;
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("DATABASE_URL", Path.Combine(dir, "reference.db"));
            b.UseSetting("BETTER_AUTH_SECRET", "an-openapi-test-secret-that-is-long-enough-123");
        });
        var response = await factory.CreateClient().GetAsync("/api/auth/reference");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-url=\"/api/auth/open-api/generate-schema\"", await response.Content.ReadAsStringAsync());
    }
}
