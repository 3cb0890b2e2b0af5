using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Messaging;

/// <summary>
/// A mail or SMS the server sends: its kind (<c>verify-email</c>, <c>reset-password</c>, <c>phone-otp</c>, ...), the
/// address, and the secret it carries (a link token or an OTP). Kinds and fields match the reference's outbox.
/// </summary>
public sealed record AuthMessage(string Kind, string To)
{
    public string? Token { get; init; }
    public string? Otp { get; init; }
    public string? Url { get; init; }
    /// <summary>Further fields of the kind (newEmail, organizationId, role, type...).</summary>
    public IReadOnlyDictionary<string, string?> Data { get; init; } = new Dictionary<string, string?>();
}

/// <summary>Delivers auth messages (SMTP, an SMS gateway, a dev outbox...). Register one or more in DI.</summary>
public interface IAuthMessageSender
{
    Task SendAsync(AuthMessage message, CancellationToken ct = default);
}

/// <summary>
/// Development sink: appends each message as one JSON line <c>{"kind","to","token"|"otp","url"?,…,"at"}</c>
/// to a file, the same format as the reference's outbox, so tests read codes and links from either server alike.
/// </summary>
public sealed class OutboxMessageSender(string path, TimeProvider time) : IAuthMessageSender
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task SendAsync(AuthMessage message, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.JsStringEncoder.Instance }))
        {
            w.WriteStartObject();
            w.WriteString("kind", message.Kind);
            w.WriteString("to", message.To);
            if (message.Token is not null) w.WriteString("token", message.Token);
            if (message.Otp is not null) w.WriteString("otp", message.Otp);
            if (message.Url is not null) w.WriteString("url", message.Url);
            foreach (var (k, v) in message.Data) w.WriteString(k, v);
            w.WriteString("at", Storage.JsDate.Format(time.GetUtcNow().UtcDateTime));
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        await Gate.WaitAsync(ct);
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            buffer.Position = 0;
            await buffer.CopyToAsync(file, ct);
        }
        finally { Gate.Release(); }
    }
}

/// <summary>Sends a message through every registered sender; a failing sender is logged and does not stop the others.</summary>
public sealed class AuthMessenger(IEnumerable<IAuthMessageSender> senders, ILogger<AuthMessenger> logger)
{
    public bool HasSenders => senders.Any();

    public async Task<bool> SendAsync(AuthMessage message, CancellationToken ct = default)
    {
        var ok = true;
        logger.LogInformation("Sending auth message {Kind} to {To}", message.Kind, message.To);
        foreach (var sender in senders)
        {
            try { await sender.SendAsync(message, ct); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ok = false;
                logger.LogError(e, "Sending {Kind} to {To} failed", message.Kind, message.To);
            }
        }
        return ok;
    }
}
