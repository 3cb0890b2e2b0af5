using System.Buffers;
using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.Username;

/// <summary>
/// Before /sign-up/email and /update-user (Better Auth's two username before-hooks): a given username must pass the
/// rules and be free, and a missing or empty displayUsername becomes the username as typed (before lowercasing).
/// </summary>
internal sealed class ProfileUsernameHook(UsernameRules rules)
{
    public static bool Matches(AuthContext ctx) => ctx.Path is "/sign-up/email" or "/update-user";

    public async ValueTask<AuthResult?> RunAsync(AuthContext ctx)
    {
        // A missing or non-object body is the endpoint's own validation error; nothing to check here.
        if (ctx.RawBody is not { Length: > 0 }) return null;
        JsonElement body;
        try { body = ctx.BodyObject(); }
        catch (AuthError) { return null; }

        if (!body.TryGetProperty(UsernamePlugin.UsernameField, out var value) || value.ValueKind != JsonValueKind.String)
            return null;
        var username = value.GetString()!;
        rules.Validate(username);

        var holder = await SignInUsernameEndpoint.FindByUsernameAsync(ctx, username);
        if (holder is not null && !await IsRequestUserAsync(ctx, holder.Id))
            throw AuthError.Unprocessable(UsernameErrors.UsernameIsAlreadyTaken);

        if (!IsTruthy(body, UsernamePlugin.DisplayUsernameField))
            ctx.ReplaceBody(WithDisplayUsername(body, username));
        return null;
    }

    /// <summary>
    /// Keeping one's own username on /update-user is not "taken" (Better Auth 1.2.12 says it is; later versions
    /// fixed that). The endpoint requires this session anyway, so resolving it here changes nothing else.
    /// </summary>
    private static async ValueTask<bool> IsRequestUserAsync(AuthContext ctx, string userId) =>
        ctx.Path == "/update-user" && (await ctx.GetSessionAsync())?.User.Id == userId;

    /// <summary>JavaScript truthiness of a body member, as Better Auth's <c>!ctx.body.displayUsername</c> tests it.</summary>
    private static bool IsTruthy(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v)) return false;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!.Length > 0,
            JsonValueKind.Number => v.GetDouble() != 0,
            JsonValueKind.True or JsonValueKind.Object or JsonValueKind.Array => true,
            _ => false,
        };
    }

    private static JsonElement WithDisplayUsername(JsonElement body, string displayUsername)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var p in body.EnumerateObject())
                if (p.Name != UsernamePlugin.DisplayUsernameField) p.WriteTo(w);
            w.WriteString(UsernamePlugin.DisplayUsernameField, displayUsername);
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }
}
