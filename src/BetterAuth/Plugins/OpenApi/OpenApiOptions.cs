namespace BetterAuth.Plugins.OpenApi;

/// <summary>Options of the openAPI plugin, with Better Auth's defaults.</summary>
public sealed class OpenApiOptions
{
    /// <summary>Where the reference page is served, relative to the base path (Better Auth: <c>/reference</c>).</summary>
    public string Path { get; set; } = "/reference";

    /// <summary>Serve only the document, no reference page (Better Auth's <c>disableDefaultReference</c>).</summary>
    public bool DisableDefaultReference { get; set; }

    /// <summary>
    /// Where the page loads Scalar's API reference script from. Null (the default): the pinned copy embedded in this
    /// library, served next to the page (<c>&lt;Path&gt;/scalar-api-reference-&lt;version&gt;.js</c>), so the page
    /// needs no CDN and its Content-Security-Policy allows scripts from this origin only. An absolute https URL (Better
    /// Auth's page uses <c>https://cdn.jsdelivr.net/npm/@scalar/api-reference</c>) loads it from there instead, and
    /// that origin becomes the one the policy allows.
    /// </summary>
    public string? ScalarScriptUrl { get; set; }
}
