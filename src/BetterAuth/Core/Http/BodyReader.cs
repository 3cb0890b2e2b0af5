using System.Text;
using System.Text.Json;
using BetterAuth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace BetterAuth.Core.Http;

/// <summary>
/// Reads the request body once, within the size limit, into JSON bytes: JSON as sent, forms as an object of
/// strings (better-call parses both). Malformed JSON is a 400 here, where the reference crashes its process.
/// Invalid UTF-8 is decoded with U+FFFD replacements, as the reference's fetch Request decodes it; a JSON string
/// escaping a lone surrogate (<c>"\ud800"</c>) is a 400, since no .NET JSON reader can turn it into text.
/// </summary>
internal static class BodyReader
{
    public static async Task ReadAsync(AuthContext ctx)
    {
        var request = ctx.Http.Request;
        var limit = ctx.Auth.Options.MaxBodyBytes;
        if (request.ContentLength is 0 || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) return;
        if (request.ContentLength > limit) throw await TooLargeAfterDrainingAsync(request, limit, ctx.Http.RequestAborted);

        var bytes = await ReadWithinLimitAsync(request, limit, ctx.Http.RequestAborted);
        if (bytes.Length == 0) return;
        // WHATWG "UTF-8 decode" (what request.json() in the reference does) replaces invalid sequences with U+FFFD.
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));

        var contentType = request.ContentType ?? "";
        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            ctx.RawBody = FormToJson(Encoding.UTF8.GetString(bytes));
            return;
        }
        if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var form = await ReadMultipartAsync(ctx, bytes);
            ctx.RawBody = form;
            return;
        }
        if (contentType.Length > 0 && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            throw AuthError.InvalidBody();
        if (!IsWellFormedJson(bytes)) throw AuthError.InvalidBody();
        ctx.RawBody = bytes;
    }

    private static AuthError TooLarge() => new(413, "Request body is too large");

    /// <summary>
    /// The 413 for a body whose declared length is over the limit, after reading and dropping that body when it is at
    /// most four times the limit. Answering and closing while the client is still writing leaves it with a broken pipe
    /// and no answer at all (Node's fetch, curl and browsers report a network error, not the 413), so a modestly
    /// oversized body is consumed first; a larger one is not read, and the connection closes as Kestrel closes it.
    /// </summary>
    private static async Task<AuthError> TooLargeAfterDrainingAsync(HttpRequest request, long limit, CancellationToken aborted)
    {
        var declared = request.ContentLength!.Value;
        var sizeLimit = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (declared > limit * 4 || sizeLimit is null || sizeLimit.IsReadOnly) return TooLarge();
        sizeLimit.MaxRequestBodySize = declared;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var chunk = new byte[16384];
        try
        {
            while (await request.Body.ReadAsync(chunk, timeout.Token) > 0) { }
        }
        catch (Exception e) when (e is OperationCanceledException or BadHttpRequestException or IOException)
        {
            // A slow or broken sender: answer anyway; Kestrel closes the connection.
        }
        return TooLarge();
    }

    private static async Task<byte[]> ReadWithinLimitAsync(HttpRequest request, long limit, CancellationToken aborted)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, aborted)) > 0)
            {
                if (buffer.Length + read > limit) throw TooLarge();
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limit (a chunked body can pass it within one read) or a malformed chunked encoding.
            throw e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge() : AuthError.InvalidBody();
        }
        return buffer.ToArray();
    }

    private static bool IsWellFormedJson(byte[] bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            while (reader.Read())
            {
                // Only escaped strings can hold a lone surrogate (\ud800); decoding them is the one way to tell.
                if ((reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName) && reader.ValueIsEscaped) reader.GetString();
            }
            return true;
        }
        catch (JsonException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static byte[] FormToJson(string form)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            var seen = new HashSet<string>();
            foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Decode(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
                if (seen.Add(key)) w.WriteString(key, value);
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Decode(string s)
    {
        try { return Uri.UnescapeDataString(s.Replace('+', ' ')); }
        catch (UriFormatException) { throw AuthError.InvalidBody(); }
    }

    private static async Task<byte[]> ReadMultipartAsync(AuthContext ctx, byte[] bytes)
    {
        var request = ctx.Http.Request;
        request.Body = new MemoryStream(bytes);
        IFormCollection form;
        try { form = await request.ReadFormAsync(ctx.Http.RequestAborted); }
        catch (Exception e) when (e is InvalidDataException or IOException) { throw AuthError.InvalidBody(); }
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (key, value) in form) w.WriteString(key, value.ToString());
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
