using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.Organization;

/// <summary>
/// The plugin's queries, checked the way its zod schemas check them (its bodies are read by core's
/// <see cref="BodyFields"/>, every field before the session is looked at, because better-call validates before the
/// middlewares run).
/// </summary>
internal static class OrganizationQuery
{
    /// <summary>An optional query parameter; a repeated key is an array, which a string schema refuses.</summary>
    public static string? Optional(AuthContext ctx, string name)
    {
        var values = ctx.Http.Request.Query[name];
        if (values.Count > 1) throw AuthError.InvalidQuery();
        return values.Count == 0 ? null : values[0];
    }

    public static string Required(AuthContext ctx, string name) => Optional(ctx, name) ?? throw AuthError.InvalidQuery();
}
