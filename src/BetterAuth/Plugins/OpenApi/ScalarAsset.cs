using System.IO.Compression;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.OpenApi;

/// <summary>
/// The pinned copy of Scalar's API reference script embedded in this assembly (see <c>Assets/README.md</c>), served
/// gzip-compressed to browsers that accept it (all do) and decompressed once for those that do not. Its URL carries the
/// version, so it is cached for a year.
/// </summary>
internal static class ScalarAsset
{
    public const string Version = "1.76.4";
    /// <summary>SHA-384 of the uncompressed script, for the page's Subresource Integrity attribute.</summary>
    public const string Sha384 = "hwB9WroDTpZaI38gr+u9CXA6ksz5gUYgD2GxXazKl/agT1L2GWUiRFWGJYNiFu4Q";
    public const string FileName = "scalar-api-reference-" + Version + ".js";
    public const string ResourceName = "BetterAuth.OpenApi." + FileName + ".gz";

    private static readonly Lazy<byte[]> Compressed = new(() =>
    {
        using var stream = typeof(ScalarAsset).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"BetterAuth: the embedded resource {ResourceName} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static readonly Lazy<byte[]> Plain = new(() =>
    {
        using var gzip = new GZipStream(new MemoryStream(Compressed.Value), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        gzip.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The uncompressed script.</summary>
    public static ReadOnlyMemory<byte> Script => Plain.Value;

    public static ValueTask<AuthResult> ServeAsync(AuthContext ctx)
    {
        ctx.ResponseHeaders["Cache-Control"] = "public, max-age=31536000, immutable";
        ctx.ResponseHeaders["Vary"] = "Accept-Encoding";
        ctx.ResponseHeaders["X-Content-Type-Options"] = "nosniff";
        var gzip = ctx.Http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        if (gzip) ctx.ResponseHeaders["Content-Encoding"] = "gzip";
        return ValueTask.FromResult(AuthResult.Asset(gzip ? Compressed.Value : Plain.Value, "text/javascript; charset=utf-8"));
    }
}
