namespace BetterAuth.Plugins.OpenApi;

/// <summary>Options of the openAPI plugin, with Better Auth's defaults.</summary>
public sealed class OpenApiOptions
{
    /// <summary>Where the reference page is served, relative to the base path (Better Auth: <c>/reference</c>).</summary>
    public string Path { get; set; } = "/reference";

    /// <summary>Serve only the document, no reference page (Better Auth's <c>disableDefaultReference</c>).</summary>
    public bool DisableDefaultReference { get; set; }

    /// <summary>
    /// The Scalar API reference script the page loads, as Better Auth's page does. Its origin is the only one the
    /// page's Content-Security-Policy lets scripts, styles and fonts come from (besides Scalar's font host).
    /// </summary>
    public string ScalarScriptUrl { get; set; } = "https://cdn.jsdelivr.net/npm/@scalar/api-reference";
}
