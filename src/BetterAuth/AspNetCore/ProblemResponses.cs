using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.AspNetCore;

/// <summary>
/// 401 and 403 as an API answers them: a status and an RFC 9457 problem body, never a redirect to a login page.
/// The host's <see cref="IProblemDetailsService"/> (AddProblemDetails) writes it when registered, so its customisations apply.
/// </summary>
internal static class ProblemResponses
{
    public static async Task WriteAsync(HttpContext http, int status, string detail)
    {
        var response = http.Response;
        if (response.HasStarted) return;
        response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden",
            Type = status == StatusCodes.Status401Unauthorized
                ? "https://tools.ietf.org/html/rfc9110#section-15.5.2"
                : "https://tools.ietf.org/html/rfc9110#section-15.5.4",
            Detail = detail,
        };
        if (http.RequestServices.GetService<IProblemDetailsService>() is { } service &&
            await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }))
            return;

        // Written by hand so it needs no serializer metadata for ProblemDetails.
        response.ContentType = "application/problem+json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", problem.Type);
            json.WriteString("title", problem.Title);
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            json.WriteEndObject();
        }
        await response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
    }
}
