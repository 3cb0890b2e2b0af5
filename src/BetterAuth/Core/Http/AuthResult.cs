namespace BetterAuth.Core.Http;

/// <summary>What an endpoint answers: JSON (including a JSON <c>null</c>), a redirect, HTML, or a bare status.</summary>
public sealed class AuthResult
{
    /// <summary>HTTP status.</summary>
    public int Status { get; init; } = 200;
    /// <summary>The JSON body; null with <see cref="WritesJson"/> writes <c>null</c>.</summary>
    public object? Body { get; init; }
    /// <summary>Whether the answer is JSON.</summary>
    public bool WritesJson { get; init; }
    /// <summary>Redirect target.</summary>
    public string? Location { get; init; }
    /// <summary>HTML body.</summary>
    public string? Html { get; init; }
    /// <summary>A static file's bytes (with <see cref="ContentType"/>), e.g. the reference page's script.</summary>
    internal ReadOnlyMemory<byte>? Content { get; init; }
    internal string? ContentType { get; init; }

    /// <summary>A JSON answer.</summary>
    public static AuthResult Json(object? body, int status = 200) => new() { Body = body, WritesJson = true, Status = status };
    /// <summary>A JSON <c>null</c> answer.</summary>
    public static readonly AuthResult Null = new() { WritesJson = true };
    /// <summary>A 302 redirect.</summary>
    public static AuthResult Redirect(string location) => new() { Status = 302, Location = location };
    /// <summary>An HTML page.</summary>
    public static AuthResult HtmlPage(string html) => new() { Html = html };
    /// <summary>A static file.</summary>
    internal static AuthResult Asset(ReadOnlyMemory<byte> content, string contentType) => new() { Content = content, ContentType = contentType };
}
