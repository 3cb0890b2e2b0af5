using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Messaging;

/// <summary>
/// A mail or SMS the server sends: its kind (<c>verify-email</c>, <c>reset-password</c>, <c>phone-otp</c>, ...), the
/// address, and the secret it carries (a link token or an OTP). Kinds and fields match the reference's outbox.
/// </summary>
public sealed record AuthMessage(string Kind, string To)
{
    /// <summary>
    /// How the message travels. Senders deliver only their own channel: a phone number may be any string (it can
    /// contain an <c>@</c>), so it must never be taken for a mail address.
    /// </summary>
    public AuthMessageChannel Channel { get; init; } = AuthMessageChannel.Email;

    /// <summary>The verification token, for link messages.</summary>
    public string? Token { get; init; }
    /// <summary>The one-time code, for code messages.</summary>
    public string? Otp { get; init; }
    /// <summary>The link to send, for link messages.</summary>
    public string? Url { get; init; }
    /// <summary>Further fields of the kind (newEmail, organizationId, role, type...).</summary>
    public IReadOnlyDictionary<string, string?> Data { get; init; } = new Dictionary<string, string?>();
}

/// <summary>The way an <see cref="AuthMessage"/> reaches its recipient.</summary>
public enum AuthMessageChannel
{
    /// <summary>Mail to an address (verification and reset links, email OTPs, two-factor codes, invitations).</summary>
    Email,
    /// <summary>A text to a phone number (the phone-number plugin's codes).</summary>
    Sms,
}

/// <summary>Delivers auth messages (SMTP, an SMS gateway, a dev outbox...). Register one or more in DI.</summary>
public interface IAuthMessageSender
{
    /// <summary>Delivers one message (or ignores kinds it does not handle).</summary>
    Task SendAsync(AuthMessage message, CancellationToken ct = default);

    /// <summary>
    /// Remote senders (SMTP, SMS gateways) are called from a background queue, so a slow or unreachable server
    /// neither holds up the request nor lets its response time tell whether an account exists. Local sinks
    /// (the dev outbox) say false and are written before the response.
    /// </summary>
    bool DeliversInBackground => true;
}

/// <summary>
/// Development sink: appends each message as one JSON line <c>{"kind","to","token"|"otp","url"?,…,"at"}</c>
/// to a file, the same format as the reference's outbox, so tests read codes and links from either server alike.
/// </summary>
internal sealed class OutboxMessageSender(string path, TimeProvider time) : IAuthMessageSender
{
    public bool DeliversInBackground => false;

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

/// <summary>
/// Hands a message to every registered sender: local sinks at once, remote ones through a bounded background
/// queue. A failing sender is logged (kind and sender only, never the address or the secret) and does not stop the others.
/// </summary>
internal sealed class AuthMessenger : IDisposable
{
    private const int QueueCapacity = 10_000;
    private readonly IAuthMessageSender[] _inline;
    private readonly IAuthMessageSender[] _background;
    private readonly MessageDelivery _delivery;
    private readonly ILogger<AuthMessenger> _logger;
    /// <summary>Each message with the span of the request that sent it, so its delivery shows in that request's trace.</summary>
    private readonly System.Threading.Channels.Channel<(AuthMessage Message, ActivityContext Parent)> _queue =
        System.Threading.Channels.Channel.CreateBounded<(AuthMessage, ActivityContext)>(new System.Threading.Channels.BoundedChannelOptions(QueueCapacity)
        { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Lazy<Task> _pump;

    public AuthMessenger(IEnumerable<IAuthMessageSender> senders, ILogger<AuthMessenger> logger, Telemetry.AuthMetrics? metrics = null)
    {
        var all = senders.ToArray();
        _inline = all.Where(s => !s.DeliversInBackground).ToArray();
        _background = all.Where(s => s.DeliversInBackground).ToArray();
        _logger = logger;
        _delivery = new MessageDelivery(logger, metrics);
        _pump = new Lazy<Task>(() => Task.Run(PumpAsync));
    }

    public bool HasSenders => _inline.Length + _background.Length > 0;

    public async Task SendAsync(AuthMessage message, CancellationToken ct = default)
    {
        Telemetry.CoreLog.MessageSending(_logger, message.Kind);
        var parent = Activity.Current?.Context ?? default;
        foreach (var sender in _inline) await _delivery.DeliverAsync(sender, message, parent, ct);
        if (_background.Length == 0) return;
        _ = _pump.Value;
        if (!_queue.Writer.TryWrite((message, parent)))
            foreach (var sender in _background) _delivery.Dropped(sender, message);
    }

    private async Task PumpAsync()
    {
        await foreach (var (message, parent) in _queue.Reader.ReadAllAsync())
            foreach (var sender in _background) await _delivery.DeliverAsync(sender, message, parent, CancellationToken.None);
    }

    public void Dispose() => _queue.Writer.TryComplete();
}

/// <summary>
/// The one place a message is handed to a sender and its outcome is known, whatever queue (in memory today) feeds it:
/// a span per delivery (a child of the request that sent the message), the <c>better_auth.message.deliveries</c>
/// metric by kind, sender and outcome, and the log line of a failure. Never the address or the secret it carries.
/// </summary>
internal sealed class MessageDelivery(ILogger logger, Telemetry.AuthMetrics? metrics)
{
    public const string Delivered = "delivered", Failed = "failed", DroppedOutcome = "dropped";

    /// <summary>Delivers through one sender; false when it failed (logged and counted, never thrown).</summary>
    public async Task<bool> DeliverAsync(IAuthMessageSender sender, AuthMessage message, ActivityContext parent, CancellationToken ct)
    {
        var senderName = sender.GetType().Name;
        using var span = Telemetry.AuthTelemetry.Source.HasListeners()
            ? Telemetry.AuthTelemetry.Source.StartActivity("better_auth.message.deliver", ActivityKind.Internal, parent)
            : null;
        span?.SetTag(Telemetry.AuthTelemetry.MessageKind, message.Kind);
        span?.SetTag(Telemetry.AuthTelemetry.MessageSender, senderName);
        try
        {
            await sender.SendAsync(message, ct);
            Count(message, senderName, Delivered, null);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var errorType = Telemetry.AuthTelemetry.ErrorTypeOf(e);
            if (span is not null) Telemetry.AuthTelemetry.Fail(span, errorType);
            Count(message, senderName, Failed, errorType);
            Telemetry.CoreLog.MessageDeliveryFailed(logger, e, message.Kind, senderName);
            return false;
        }
    }

    /// <summary>The queue was full: the message never reached the sender.</summary>
    public void Dropped(IAuthMessageSender sender, AuthMessage message)
    {
        Count(message, sender.GetType().Name, DroppedOutcome, "queue_full");
        Telemetry.CoreLog.MessageQueueFull(logger, message.Kind);
    }

    private void Count(AuthMessage message, string sender, string outcome, string? errorType)
    {
        if (metrics is null) return;
        var tags = new TagList
        {
            { Telemetry.AuthTelemetry.MessageKind, message.Kind },
            { Telemetry.AuthTelemetry.MessageSender, sender },
            { Telemetry.AuthTelemetry.MessageOutcome, outcome },
        };
        if (errorType is not null) tags.Add(Telemetry.AuthTelemetry.ErrorType, errorType);
        metrics.MessageDeliveries.Add(1, tags);
    }
}
