namespace BetterAuth.Core.Http;

/// <summary>What an endpoint answers: JSON (including a JSON <c>null</c>), a redirect, HTML, or a bare status.</summary>
public sealed class AuthResult
{
    public int Status { get; init; } = 200;
    /// <summary>The JSON body; null with <see cref="WritesJson"/> writes <c>null</c>.</summary>
    public object? Body { get; init; }
    public bool WritesJson { get; init; }
    public string? Location { get; init; }
    public string? Html { get; init; }

    public static AuthResult Json(object? body, int status = 200) => new() { Body = body, WritesJson = true, Status = status };
    public static readonly AuthResult Null = new() { WritesJson = true };
    public static AuthResult Redirect(string location) => new() { Status = 302, Location = location };
    public static AuthResult HtmlPage(string html) => new() { Html = html };
}
