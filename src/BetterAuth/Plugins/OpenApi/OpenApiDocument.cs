using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document from the registered endpoints, in Better Auth's layout: core's endpoints under the
/// "Default" tag and each plugin's under its own, every operation with the standard error answers, the stored models
/// as <c>components.schemas</c>, and bearer-token and session-cookie security schemes.
/// </summary>
internal static partial class OpenApiDocument
{
    public const string OpenApiVersion = "3.1.1";
    /// <summary>The document version Better Auth 1.2.12 writes.</summary>
    public const string ApiVersion = "1.1.0";
    public const string DefaultTag = "Default";
    public const string ErrorSchema = "Error";

    /// <summary>The standard failure answers Better Auth documents on every operation, with their descriptions.</summary>
    private static readonly (string Status, string Description)[] ErrorResponses =
    [
        ("400", "Bad Request. Usually due to missing parameters, or invalid parameters."),
        ("401", "Unauthorized. Due to missing or invalid authentication."),
        ("403", "Forbidden. You do not have permission to access this resource or to perform this action."),
        ("404", "Not Found. The requested resource was not found."),
        ("429", "Too Many Requests. You have exceeded the rate limit. Try again later."),
        ("500", "Internal Server Error. This is a problem with the server that you cannot fix."),
    ];

    public static JsonObject Build(AuthContext ctx)
    {
        var endpoints = ctx.Auth.Registry.Endpoints.Where(e => !e.Undocumented).ToList();
        var paths = new JsonObject();
        foreach (var endpoint in endpoints)
        {
            var path = paths[endpoint.Path] as JsonObject ?? new JsonObject();
            paths[endpoint.Path] = path;
            path[endpoint.Method.ToLowerInvariant()] = Operation(endpoint);
        }

        var schemas = ModelSchemas.Build(ctx.Db.Model, ctx.Auth.Registry.Schema);
        schemas[ErrorSchema] = SchemaWriter.Write(ApiSchema.ObjectOf(
            ApiFields.Str("code", "A stable, machine-readable error code, e.g. INVALID_EMAIL_OR_PASSWORD"),
            ApiFields.Str("message", "A human-readable description of the error").Required()));

        return new JsonObject
        {
            ["openapi"] = OpenApiVersion,
            ["info"] = new JsonObject
            {
                ["title"] = "Better Auth",
                ["description"] = "API Reference for your Better Auth Instance",
                ["version"] = ApiVersion,
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = ctx.BaseUrl }),
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearerAuth"] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["description"] = "Bearer token authentication: the session token (the set-auth-token header of a sign-in)",
                    },
                    ["apiKeyCookie"] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "cookie",
                        ["name"] = ctx.Auth.Cookies.SessionToken,
                        ["description"] = "The signed session cookie a sign-in sets",
                    },
                },
            },
            // Either scheme authenticates a request.
            ["security"] = new JsonArray(new JsonObject { ["bearerAuth"] = new JsonArray() }, new JsonObject { ["apiKeyCookie"] = new JsonArray() }),
            ["tags"] = Tags(endpoints),
            ["paths"] = paths,
        };
    }

    private static JsonArray Tags(IEnumerable<AuthEndpoint> endpoints)
    {
        var tags = new JsonArray();
        foreach (var tag in endpoints.Select(e => e.Tag ?? DefaultTag).Distinct())
        {
            tags.Add(new JsonObject
            {
                ["name"] = tag,
                ["description"] = tag == DefaultTag
                    ? "Default endpoints that are included with Better Auth by default. These endpoints are not part of any plugin."
                    : $"Endpoints of the {tag.ToLowerInvariant()} plugin.",
            });
        }
        return tags;
    }

    private static JsonObject Operation(AuthEndpoint endpoint)
    {
        var operation = new JsonObject { ["tags"] = new JsonArray(endpoint.Tag ?? DefaultTag) };
        if (endpoint.OperationId is not null) operation["operationId"] = endpoint.OperationId;
        if (endpoint.Summary is not null)
        {
            operation["summary"] = endpoint.Summary;
            operation["description"] = endpoint.Description ?? endpoint.Summary;
        }

        var parameters = new JsonArray();
        foreach (Match m in PathParameter().Matches(endpoint.Path))
            parameters.Add(new JsonObject { ["name"] = m.Groups[1].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        foreach (var field in endpoint.Query)
        {
            var parameter = new JsonObject { ["name"] = field.Name, ["in"] = "query", ["required"] = field.IsRequired };
            if (field.Description is not null) parameter["description"] = field.Description;
            parameter["schema"] = SchemaWriter.Write(field.Schema);
            parameters.Add(parameter);
        }
        if (parameters.Count > 0) operation["parameters"] = parameters;

        if (endpoint.Method == "POST")
        {
            // Better Auth documents a body on every POST, an empty object where the endpoint takes none.
            operation["requestBody"] = new JsonObject
            {
                ["required"] = endpoint.Body.Any(f => f.IsRequired),
                ["content"] = JsonContent(SchemaWriter.Write(ApiSchema.ObjectOf([.. endpoint.Body]))),
            };
        }
        operation["responses"] = Responses(endpoint.Response);
        return operation;
    }

    private static JsonObject Responses(ApiResponse? success)
    {
        var responses = new JsonObject();
        if (success is { IsRedirect: true })
        {
            responses["302"] = new JsonObject
            {
                ["description"] = success.Description,
                ["headers"] = new JsonObject { ["Location"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
            };
        }
        else
        {
            var ok = new JsonObject { ["description"] = success?.Description ?? "Success" };
            if (success?.Schema is { } schema) ok["content"] = JsonContent(SchemaWriter.Write(schema));
            responses["200"] = ok;
        }
        foreach (var (status, description) in ErrorResponses)
            responses[status] = new JsonObject { ["description"] = description, ["content"] = JsonContent(SchemaWriter.Write(ApiSchema.Ref(ErrorSchema))) };
        return responses;
    }

    private static JsonObject JsonContent(JsonObject schema) =>
        new() { ["application/json"] = new JsonObject { ["schema"] = schema } };

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex PathParameter();
}
