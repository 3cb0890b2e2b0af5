using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.OpenApi;
using BetterAuth.Plugins.Organization;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.OpenApi;

public sealed class OpenApiDocumentTests
{
    private static Task<AuthTestHost> StartAsync(OpenApiOptions? options = null) =>
        AuthTestHost.StartAsync(o =>
        {
            o.Plugins.Add(new TwoFactorPlugin());
            o.Plugins.Add(new AdminPlugin());
            o.Plugins.Add(new OrganizationPlugin());
            o.Plugins.Add(new OpenApiPlugin(options));
        });

    private static async Task<JsonObject> DocumentAsync(AuthTestHost host)
    {
        var r = await host.Client().GetAsync("/open-api/generate-schema");
        Assert.Equal(200, r.Status);
        Assert.Equal("application/json", r.Message.Content.Headers.ContentType?.MediaType);
        return r.Json!.AsObject();
    }

    private static JsonObject Operation(JsonObject document, string method, string path) =>
        document["paths"]![path]![method]!.AsObject();

    private static JsonObject BodySchema(JsonObject operation) =>
        operation["requestBody"]!["content"]!["application/json"]!["schema"]!.AsObject();

    [Fact]
    public async Task Document_IsOpenApi31WithServerModelsAndSecuritySchemes()
    {
        await using var host = await StartAsync();
        var document = await DocumentAsync(host);

        Assert.StartsWith("3.1.", document["openapi"]!.GetValue<string>());
        Assert.Equal("Better Auth", document["info"]!["title"]!.GetValue<string>());
        Assert.Equal("http://localhost/api/auth", document["servers"]![0]!["url"]!.GetValue<string>());
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var model in new[] { "User", "Session", "Account", "Verification", "TwoFactor", "Organization", "Member", "Invitation" })
            Assert.True(schemas.ContainsKey(model), $"components.schemas has no {model}");
        // Plugin columns are part of the model, and dates are date-time strings.
        Assert.Equal("[\"boolean\",\"null\"]", schemas["User"]!["properties"]!["twoFactorEnabled"]!["type"]!.ToJsonString());
        Assert.Equal("date-time", schemas["Session"]!["properties"]!["expiresAt"]!["format"]!.GetValue<string>());
        // A returned:false column (the session's expiry cap) is never in an answer, so not in the model either.
        Assert.False(schemas["Session"]!["properties"]!.AsObject().ContainsKey("maxExpiresAt"));
        Assert.Contains("email", schemas["User"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["string", "null"], schemas["User"]!["properties"]!["image"]!["type"]!.AsArray().Select(n => n!.GetValue<string>()));

        var security = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", security["bearerAuth"]!["scheme"]!.GetValue<string>());
        Assert.Equal("cookie", security["apiKeyCookie"]!["in"]!.GetValue<string>());
        Assert.Equal("better-auth.session_token", security["apiKeyCookie"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Document_ListsEveryRegisteredEndpointButItsOwn()
    {
        await using var host = await StartAsync();
        var document = await DocumentAsync(host);
        var paths = document["paths"]!.AsObject();

        var documented = host.Runtime.Registry.Endpoints.Where(e => !e.Undocumented).ToList();
        Assert.True(documented.Count > 60);
        foreach (var endpoint in documented)
            Assert.True(paths[endpoint.Path]?[endpoint.Method.ToLowerInvariant()] is JsonObject, $"{endpoint.Method} {endpoint.Path} is not documented");
        var operationCount = paths.Sum(p => p.Value!.AsObject().Count);
        Assert.Equal(documented.Count, operationCount);
        Assert.False(paths.ContainsKey("/open-api/generate-schema"));
        Assert.False(paths.ContainsKey("/reference"));
    }

    [Fact]
    public async Task EveryOperation_HasIdSummaryTagAndTheStandardAnswers()
    {
        await using var host = await StartAsync();
        var document = await DocumentAsync(host);
        var ids = new HashSet<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var id = operation["operationId"]?.GetValue<string>();
                Assert.False(string.IsNullOrEmpty(id), $"{method} {path} has no operationId");
                Assert.True(ids.Add(id!), $"operationId {id} is used twice");
                Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
                Assert.Single(operation["tags"]!.AsArray());
                var responses = operation["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("200") || responses.ContainsKey("302"), $"{method} {path} has no success answer");
                foreach (var status in new[] { "400", "401", "403", "404", "429", "500" })
                    Assert.Equal("#/components/schemas/Error",
                        responses[status]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
            }
        var error = document["components"]!["schemas"]!["Error"]!;
        Assert.Equal(["code", "message"], error["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Tags_AreDefaultForCoreAndThePluginIdForPlugins()
    {
        await using var host = await StartAsync();
        var document = await DocumentAsync(host);
        Assert.Equal("Default", Operation(document, "post", "/sign-in/email")["tags"]![0]!.GetValue<string>());
        Assert.Equal("Two-factor", Operation(document, "post", "/two-factor/enable")["tags"]![0]!.GetValue<string>());
        Assert.Equal("Organization", Operation(document, "get", "/organization/list")["tags"]![0]!.GetValue<string>());
        Assert.Contains("Admin", document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task BodyFields_CarryTheTypesTheServerReallyAccepts()
    {
        await using var host = await StartAsync();
        var document = await DocumentAsync(host);

        var signIn = BodySchema(Operation(document, "post", "/sign-in/email"));
        Assert.Equal(["email", "password"], signIn["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("boolean", signIn["properties"]!["rememberMe"]!["type"]!.GetValue<string>());
        Assert.Equal("Email of the user", signIn["properties"]!["email"]!["description"]!.GetValue<string>());

        var social = BodySchema(Operation(document, "post", "/sign-in/social"))["properties"]!;
        Assert.Equal("boolean", social["disableRedirect"]!["type"]!.GetValue<string>());
        Assert.Equal("array", social["scopes"]!["type"]!.GetValue<string>());
        Assert.Equal("string", social["scopes"]!["items"]!["type"]!.GetValue<string>());
        Assert.Equal("object", social["idToken"]!["type"]!.GetValue<string>());
        Assert.Equal("token", social["idToken"]!["required"]![0]!.GetValue<string>());

        var role = BodySchema(Operation(document, "post", "/admin/set-role"))["properties"]!["role"]!["oneOf"]!.AsArray();
        Assert.Equal(["string", "array"], role.Select(o => o!["type"]!.GetValue<string>()));

        var permissions = BodySchema(Operation(document, "post", "/organization/has-permission"))["properties"]!["permissions"]!;
        Assert.Equal("array", permissions["additionalProperties"]!["type"]!.GetValue<string>());

        // A POST without a body still documents an (empty) object, as Better Auth does.
        var revoke = Operation(document, "post", "/revoke-sessions")["requestBody"]!;
        Assert.False(revoke["required"]!.GetValue<bool>());
        Assert.Empty(BodySchema(Operation(document, "post", "/revoke-sessions"))["properties"]!.AsObject());
    }

    [Fact]
    public async Task QueryAndPathParameters_AreDocumented()
    {
        await using var host = await StartAsync();
        var document = await DocumentAsync(host);

        var verify = Operation(document, "get", "/verify-email")["parameters"]!.AsArray();
        var token = verify.Single(p => p!["name"]!.GetValue<string>() == "token")!;
        Assert.Equal("query", token["in"]!.GetValue<string>());
        Assert.True(token["required"]!.GetValue<bool>());

        var listUsers = Operation(document, "get", "/admin/list-users")["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        Assert.Contains("searchValue", listUsers);
        Assert.Contains("limit", listUsers);

        var reset = Operation(document, "get", "/reset-password/{token}");
        var pathToken = reset["parameters"]!.AsArray().Single(p => p!["in"]!.GetValue<string>() == "path")!;
        Assert.Equal("token", pathToken["name"]!.GetValue<string>());
        Assert.True(pathToken["required"]!.GetValue<bool>());
        Assert.True(reset["responses"]!.AsObject().ContainsKey("302"));
    }

    [Fact]
    public async Task Responses_DescribeTheSuccessfulAnswer()
    {
        await using var host = await StartAsync();
        var document = await DocumentAsync(host);
        var ok = Operation(document, "get", "/ok")["responses"]!["200"]!;
        Assert.Equal("API is working", ok["description"]!.GetValue<string>());
        Assert.Equal("boolean", ok["content"]!["application/json"]!["schema"]!["properties"]!["ok"]!["type"]!.GetValue<string>());
        var sessions = Operation(document, "get", "/list-sessions")["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal("#/components/schemas/Session", sessions["items"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReferencePage_LoadsThePinnedLocalScalarUnderAPolicyWithNoExternalHost()
    {
        await using var host = await StartAsync();
        var r = await host.Client().GetAsync("/reference");

        Assert.Equal(200, r.Status);
        Assert.Equal("text/html", r.Message.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script id=\"api-reference\" data-url=\"/api/auth/open-api/generate-schema\"", r.Text);
        Assert.DoesNotContain("<script>", r.Text); // no inline script: the policy need not allow any
        // Every URL the page references is a path on this origin: no CDN, no font host.
        var urls = Regex.Matches(r.Text, "(?:src|href|data-url)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/api/auth/open-api/generate-schema", $"/api/auth/reference/{ScalarAsset.FileName}"], urls);
        Assert.DoesNotContain("http", r.Text.Replace("http-equiv", ""), StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"integrity=\"sha384-{ScalarAsset.Sha384}\"", r.Text);

        var csp = r.Header("Content-Security-Policy")!;
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("connect-src 'self' http://localhost;", csp); // "try it" calls to the configured base URL
        Assert.Contains("frame-ancestors 'none'", csp);
        // Apart from the base URL's own origin, the policy names no host at all.
        var hosts = Regex.Matches(csp, @"[a-z][a-z0-9+.-]*://[^\s;]+").Select(m => m.Value).ToList();
        Assert.Equal(["http://localhost"], hosts);
        Assert.Equal("nosniff", r.Header("X-Content-Type-Options"));
    }

    [Fact]
    public async Task ReferencePage_ScriptIsTheEmbeddedPinnedCopy_GzippedOrPlain()
    {
        await using var host = await StartAsync();
        var path = $"/api/auth/reference/{ScalarAsset.FileName}";

        var plain = await host.Client().SendAsync(HttpMethod.Get, path, null);
        Assert.Equal(200, plain.Status);
        Assert.Equal("text/javascript", plain.Message.Content.Headers.ContentType?.MediaType);
        Assert.Null(plain.Header("Content-Encoding"));
        Assert.Contains("immutable", plain.Header("Cache-Control"));
        var bytes = await plain.Message.Content.ReadAsByteArrayAsync();
        // The version and integrity hash in ScalarAsset match the embedded file (Assets/README.md says how to update).
        Assert.Equal(ScalarAsset.Sha384, Convert.ToBase64String(SHA384.HashData(bytes)));
        Assert.Equal(ScalarAsset.Script.Length, bytes.Length);

        var gzipped = await host.Client().SendAsync(HttpMethod.Get, path, null, m => m.Headers.Add("Accept-Encoding", "gzip"));
        Assert.Equal("gzip", gzipped.Header("Content-Encoding"));
        await using var unzip = new GZipStream(await gzipped.Message.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        await unzip.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task ReferencePage_AnExternalScriptUrlIsTheOnlyHostThePolicyAllows()
    {
        await using var host = await StartAsync(new OpenApiOptions { ScalarScriptUrl = "https://cdn.jsdelivr.net/npm/@scalar/api-reference" });
        var r = await host.Client().GetAsync("/reference");

        Assert.Contains("<script src=\"https://cdn.jsdelivr.net/npm/@scalar/api-reference\"></script>", r.Text);
        Assert.Contains("script-src https://cdn.jsdelivr.net;", r.Header("Content-Security-Policy"));
        Assert.Equal(404, (await host.Client().GetAsync($"/reference/{ScalarAsset.FileName}")).Status);
    }

    [Fact]
    public async Task ReferencePage_CanBeTurnedOffAndMoved()
    {
        await using (var host = await StartAsync(new OpenApiOptions { DisableDefaultReference = true }))
        {
            Assert.Equal(404, (await host.Client().GetAsync("/reference")).Status);
            Assert.Equal(200, (await host.Client().GetAsync("/open-api/generate-schema")).Status);
        }
        await using (var host = await StartAsync(new OpenApiOptions { Path = "/docs" }))
        {
            Assert.Equal(200, (await host.Client().GetAsync("/docs")).Status);
            Assert.Equal(404, (await host.Client().GetAsync("/reference")).Status);
        }
    }

    [Fact]
    public async Task Document_FollowsTheEnabledPlugins()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new OpenApiPlugin()));
        var document = await DocumentAsync(host);
        Assert.False(document["paths"]!.AsObject().ContainsKey("/two-factor/enable"));
        Assert.False(document["components"]!["schemas"]!.AsObject().ContainsKey("TwoFactor"));
        Assert.False(document["components"]!["schemas"]!["User"]!["properties"]!.AsObject().ContainsKey("twoFactorEnabled"));
        Assert.True(document["paths"]!.AsObject().ContainsKey("/sign-in/email"));
    }
}
