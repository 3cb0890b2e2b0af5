using System.Diagnostics;
using System.Text.Json;
using BetterAuth.Core.Http;
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
    /// Remote senders (SMTP, SMS gateways; the default) are called by the background dispatcher from the
    /// <c>authOutbox</c> table, where the message is stored with the change that causes it and kept until sent (retried
    /// with backoff; see <see cref="MessageDeliveryOptions"/>), so a slow or unreachable server neither holds up the
    /// request nor lets its response time tell whether an account exists, and a restart loses nothing. The table must
    /// exist (migration). Local sinks (the dev outbox) say false and are written before the response.
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
/// Hands a message to every registered sender. Local sinks (<see cref="IAuthMessageSender.DeliversInBackground"/> false,
/// the dev outbox) get it at once. For remote senders the message is written to the <c>authOutbox</c> table through the
/// request's context — in the same transaction as the change that causes it — and <see cref="MessageDispatcher"/> sends
/// it, retrying with backoff; so a restart, a crash or an unreachable server loses nothing, and nothing is dropped.
/// Logs name the kind (and the sender, the outbox row), never the address or the secret the message carries.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore's wait handle is never created (AvailableWaitHandle is not read), so disposing frees nothing; a disposed one would make a request still finishing at shutdown throw in SignalQueued.")]
internal sealed class AuthMessenger
{
    private readonly IAuthMessageSender[] _inline;
    private readonly IAuthMessageSender[] _background;
    private readonly AuthRuntime _auth;
    private readonly ILogger<AuthMessenger> _logger;
    /// <summary>Released when a message is queued here, so this instance's dispatcher sends it without waiting for its next poll.</summary>
    private readonly SemaphoreSlim _queued = new(0, 1);

    public AuthMessenger(IEnumerable<IAuthMessageSender> senders, AuthRuntime auth, ILogger<AuthMessenger> logger, Telemetry.AuthMetrics? metrics = null)
    {
        var all = senders.ToArray();
        _inline = all.Where(s => !s.DeliversInBackground).ToArray();
        _background = all.Where(s => s.DeliversInBackground).ToArray();
        _auth = auth;
        _logger = logger;
        Delivery = new MessageDelivery(logger, metrics);
        Remote = _background.Select((s, i) => new RemoteSender(s, NameOf(_background, i))).ToArray();
    }

    public bool HasSenders => _inline.Length + _background.Length > 0;

    /// <summary>Whether messages go through the outbox table (some sender delivers in the background).</summary>
    public bool Durable => _background.Length > 0;

    /// <summary>The remote senders, each with a name that is stable across restarts (recorded on rows it already took).</summary>
    public IReadOnlyList<RemoteSender> Remote { get; }

    /// <summary>Where every delivery, inline or by the dispatcher, meets its sender (span, metric, failure log).</summary>
    public MessageDelivery Delivery { get; }

    /// <summary>
    /// Sends a message: local sinks now, remote senders through an outbox row written with the request's context (inside
    /// its current transaction, if one is open).
    /// </summary>
    public async Task SendAsync(AuthContext ctx, AuthMessage message)
    {
        Telemetry.CoreLog.MessageSending(_logger, message.Kind);
        await DeliverInlineAsync(ctx, message);
        if (Durable) await EnqueueAsync(ctx.Db, OutboxRow.For(message, _auth));
    }

    /// <summary>
    /// Runs <paramref name="change"/> (storing the token or code the message carries) and queues the message in one
    /// transaction: both are stored or neither. Local sinks get the message once it is committed.
    /// </summary>
    public async Task SendAsync(AuthContext ctx, AuthMessage message, Func<Task> change)
    {
        if (!Durable)
        {
            await change();
            await SendAsync(ctx, message);
            return;
        }
        await InTransactionAsync(ctx, async () =>
        {
            await change();
            await EnqueueAsync(ctx.Db, OutboxRow.For(message, _auth));
        });
        Telemetry.CoreLog.MessageSending(_logger, message.Kind);
        await DeliverInlineAsync(ctx, message);
    }

    /// <summary>
    /// For a request about an account that does not exist: <paramref name="change"/> and, when messages are queued, a
    /// decoy row (same size, encrypted like a real one, never sent) in one transaction, so the request does the same
    /// database work as <see cref="SendAsync(AuthContext, AuthMessage, Func{Task})"/> for a known account.
    /// </summary>
    public async Task DecoyAsync(AuthContext ctx, Func<Task> change, AuthMessage shape)
    {
        if (!Durable)
        {
            await change();
            return;
        }
        await InTransactionAsync(ctx, async () =>
        {
            await change();
            var row = OutboxRow.For(shape, _auth);
            row.Kind = OutboxRow.DecoyKind;
            await EnqueueAsync(ctx.Db, row);
        });
    }

    /// <summary>Waits until a message is queued by this instance or <paramref name="timeout"/> passes.</summary>
    public async Task WaitForQueuedAsync(TimeSpan timeout, CancellationToken ct)
    {
        try { await _queued.WaitAsync(timeout, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private async Task DeliverInlineAsync(AuthContext ctx, AuthMessage message)
    {
        var parent = Activity.Current?.Context ?? default;
        foreach (var sender in _inline) await Delivery.DeliverAsync(sender, message, parent, ctx.Http.RequestAborted);
    }

    private void SignalQueued()
    {
        try { _queued.Release(); }
        catch (SemaphoreFullException) { } // already signalled
    }

    private async Task EnqueueAsync(Storage.AuthDbContext db, OutboxRow row)
    {
        db.Set<OutboxRow>().Add(row);
        try { await db.SaveChangesAsync(); }
        finally { db.Entry(row).State = Microsoft.EntityFrameworkCore.EntityState.Detached; }
        // Inside a transaction the row is visible to the dispatcher only once it commits.
        if (db.Database.CurrentTransaction is null) SignalQueued();
        else db.AfterTransaction.Add(() => { SignalQueued(); return Task.CompletedTask; });
    }

    private static async Task InTransactionAsync(AuthContext ctx, Func<Task> work)
    {
        if (ctx.Db.Database.CurrentTransaction is not null)
        {
            await work();
            return;
        }
        await using var tx = await ctx.Db.Database.BeginTransactionAsync();
        await work();
        await tx.CommitAsync();
    }

    private static string NameOf(IAuthMessageSender[] senders, int index)
    {
        var name = senders[index].GetType().FullName ?? senders[index].GetType().Name;
        var same = senders.Take(index).Count(s => s.GetType() == senders[index].GetType());
        return same == 0 ? name : $"{name}#{same + 1}";
    }
}

/// <summary>A remote sender and the name rows record once it took their message.</summary>
internal sealed record RemoteSender(IAuthMessageSender Sender, string Name);

/// <summary>
/// The one place a message is handed to a sender and its outcome is known, inline or from the outbox: a span per
/// delivery (a child of the request that sent the message, also when the dispatcher sends it later), the
/// <c>better_auth.message.deliveries</c> metric by kind, sender and outcome, and the log line of a failure. Never the
/// address or the secret it carries.
/// </summary>
internal sealed class MessageDelivery(ILogger logger, Telemetry.AuthMetrics? metrics)
{
    public const string Delivered = "delivered", Failed = "failed";

    /// <summary>Delivers through one sender; the exception when it failed (logged and counted, never thrown), else null.</summary>
    public async Task<Exception?> DeliverAsync(IAuthMessageSender sender, AuthMessage message, ActivityContext parent, CancellationToken ct)
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
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var errorType = Telemetry.AuthTelemetry.ErrorTypeOf(e);
            if (span is not null) Telemetry.AuthTelemetry.Fail(span, errorType);
            Count(message, senderName, Failed, errorType);
            Telemetry.CoreLog.MessageDeliveryFailed(logger, e, message.Kind, senderName);
            return e;
        }
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
