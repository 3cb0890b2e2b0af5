using System.Text;
using System.Text.Json;

namespace BetterAuth.Core.Errors;

/// <summary>
/// An error answered to the client as Better Auth answers it: a status and, when there is a message,
/// the JSON body <c>{"code","message"}</c>. The code is derived from the message the way better-call
/// derives it, unless given explicitly (the admin plugin's BANNED_USER is the one place Better Auth does that).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Public API: it is the error answered to the client (Better Auth's APIError); renaming would break hosts.")]
public sealed class AuthError : Exception
{
    /// <summary>HTTP status of the answer.</summary>
    public int Status { get; }
    /// <summary>Better Auth's error code (derived from the message when not given).</summary>
    public string? Code { get; }
    /// <summary>False for answers without a body (a bare 404).</summary>
    public bool HasBody => base.Message.Length > 0 || Code is not null;
    /// <summary>Better Auth's optional <c>cause</c> member of the body (only get-access-token and refresh-token send one).</summary>
    public JsonElement? Cause { get; init; }

    /// <summary>An error answer with a status, Better Auth's message and, optionally, its code.</summary>
    public AuthError(int status, string? message = null, string? code = null)
        : base(message ?? string.Empty)
    {
        Status = status;
        Code = code ?? (string.IsNullOrEmpty(message) ? null : CodeFromMessage(message));
    }

    /// <summary>Upper-cases, turns spaces into underscores and drops everything outside [A-Z0-9_].</summary>
    public static string CodeFromMessage(string message)
    {
        var sb = new StringBuilder(message.Length);
        foreach (var c in message.ToUpperInvariant())
        {
            if (c == ' ') sb.Append('_');
            else if (c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_') sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A 400 answer.</summary>
    public static AuthError BadRequest(string? message = null) => new(400, message);
    /// <summary>A 401 answer.</summary>
    public static AuthError Unauthorized(string? message = null) => new(401, message);
    /// <summary>A 403 answer.</summary>
    public static AuthError Forbidden(string? message = null) => new(403, message);
    /// <summary>A 404 answer.</summary>
    public static AuthError NotFound(string? message = null) => new(404, message);
    /// <summary>A 422 answer.</summary>
    public static AuthError Unprocessable(string? message = null) => new(422, message);

    /// <summary>The error a schema (zod) validation failure gives: no field details.</summary>
    public static AuthError InvalidBody() => new(400, "Invalid body parameters", "VALIDATION_ERROR");
    /// <summary>Better Auth's answer to query parameters that fail validation.</summary>
    public static AuthError InvalidQuery() => new(400, "Invalid query parameters", "VALIDATION_ERROR");
}
