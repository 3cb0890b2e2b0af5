using System.Net.Http.Headers;
using System.Net.Http.Json;
using BetterAuth.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>Where and how <see cref="SmsWebhookSender"/> posts.</summary>
public sealed class SmsWebhookOptions
{
    /// <summary>The endpoint that receives <c>{to, body, kind}</c> (an SMS gateway, or your own relay). Unset: no webhook.</summary>
    public string? Url { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer &lt;secret&gt;</c> when set, so the receiver can tell the server's calls apart.</summary>
    public string? Secret { get; set; }

    /// <summary>Seconds before a call is given up (the request that triggered the SMS waits for it). Default 10.</summary>
    public int TimeoutSeconds { get; set; } = 10;
}

/// <summary>
/// An SMS provider adapter: POSTs each message addressed to a phone number as JSON <c>{to, body, kind}</c> to a
/// configured URL. Messages of the mail channel are left to mail senders. A non-2xx answer is a failed delivery
/// (logged by <see cref="AuthMessenger"/>; the request that sent it still succeeds, as with any sender).
/// </summary>
internal sealed class SmsWebhookSender(IHttpClientFactory clients, SmsWebhookOptions options, ILogger<SmsWebhookSender> logger) : IAuthMessageSender
{
    public const string HttpClientName = "BetterAuth.SmsWebhook";

    public async Task SendAsync(AuthMessage message, CancellationToken ct = default)
    {
        if (message.Channel != AuthMessageChannel.Sms || string.IsNullOrEmpty(options.Url)) return;
        var payload = new SmsWebhookPayload(message.To, Text(message), message.Kind);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = JsonContent.Create(payload, PhoneNumberJsonContext.Default.SmsWebhookPayload),
        };
        if (!string.IsNullOrEmpty(options.Secret))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Secret);

        var http = clients.CreateClient(HttpClientName);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"SMS webhook answered {(int)response.StatusCode}", null, response.StatusCode);
        Core.Telemetry.CoreLog.SmsHandedToWebhook(logger, message.Kind);
    }

    /// <summary>The SMS text for a message kind.</summary>
    public static string Text(AuthMessage message) => message.Kind switch
    {
        "phone-otp" => $"Your verification code is {message.Otp}",
        "phone-reset-password-otp" => $"Your password reset code is {message.Otp}",
        _ when message.Otp is not null => $"Your code is {message.Otp}",
        _ => message.Url ?? message.Token ?? message.Kind,
    };
}

internal static class SmsWebhookServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SmsWebhookSender"/> as an <see cref="IAuthMessageSender"/> with its own HttpClient and timeout.</summary>
    public static IServiceCollection AddSmsWebhookSender(this IServiceCollection services, SmsWebhookOptions options)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new InvalidOperationException("PhoneNumber: SmsWebhook.Url must be an absolute http(s) URL.");
        services.AddHttpClient(SmsWebhookSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)));
        services.AddSingleton<IAuthMessageSender>(sp => new SmsWebhookSender(
            sp.GetRequiredService<IHttpClientFactory>(), options, sp.GetRequiredService<ILogger<SmsWebhookSender>>()));
        return services;
    }
}
