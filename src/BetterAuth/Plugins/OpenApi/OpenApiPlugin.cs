using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;

namespace BetterAuth.Plugins.OpenApi;

/// <summary>
/// Better Auth's openAPI plugin: <c>GET /open-api/generate-schema</c> answers an OpenAPI 3.1 document generated from
/// the registered endpoints (core's and every plugin's, with the documentation they declare), and
/// <c>GET /reference</c> serves a Scalar page that renders it. The two endpoints leave themselves out of the document.
/// </summary>
public sealed class OpenApiPlugin(OpenApiOptions? options = null) : IBetterAuthPlugin
{
    /// <summary>Path of the OpenAPI document.</summary>
    public const string SchemaPath = "/open-api/generate-schema";

    /// <summary>The plugin's options.</summary>
    public OpenApiOptions Options { get; } = options ?? new OpenApiOptions();

    /// <summary>Better Auth's plugin id, <c>open-api</c>.</summary>
    public string Id => "open-api";

    /// <summary>Registers the document and reference page endpoints.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        builder.AddEndpoint(AuthEndpoint.Get(SchemaPath, GenerateSchema) with
        {
            OperationId = "generateOpenAPISchema",
            Summary = "The OpenAPI document of this API",
            Undocumented = true,
        });
        if (!Options.DisableDefaultReference)
        {
            var page = new ReferencePage(Options);
            builder.AddEndpoint(AuthEndpoint.Get(Options.Path, page.ServeAsync) with
            {
                OperationId = "openAPIReference",
                Summary = "The API reference page",
                Undocumented = true,
            });
            if (page.ServesLocalScript)
                builder.AddEndpoint(AuthEndpoint.Get(ReferencePage.LocalScriptPath(Options), ScalarAsset.ServeAsync) with
                {
                    OperationId = "openAPIReferenceScript",
                    Summary = "The reference page's script (Scalar)",
                    Undocumented = true,
                });
        }
        builder.AddJsonTypes(OpenApiJsonContext.Default);
    }

    private static ValueTask<AuthResult> GenerateSchema(AuthContext ctx) =>
        ValueTask.FromResult(AuthResult.Json(OpenApiDocument.Build(ctx)));
}
