using System.Text.Json;
using BetterAuth.Core.Crypto;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Core.Messaging;

/// <summary>
/// A row of the <c>authOutbox</c> table: a message waiting for the remote senders (SMTP, SMS), written in the transaction
/// of the change that causes it and sent by <see cref="MessageDispatcher"/>. This table is ours, not Better Auth's (Better
/// Auth hands mails to a callback and keeps nothing); core adds it to the model only when a remote sender is registered.
/// <para>The message itself (<see cref="Payload"/>) carries a link or code, so it is stored encrypted with the auth secret
/// and the row is deleted once every sender took it. A message that keeps failing becomes a dead letter: the row stays
/// for the operator (kind, recipient, attempts, last error) but its payload is erased.</para>
/// </summary>
internal sealed class OutboxRow
{
    public const string TableName = "authOutbox";
    public const string Pending = "pending";
    public const string Dead = "dead";
    /// <summary>A row written for a request about an account that does not exist (same work as a real one); never sent.</summary>
    public const string DecoyKind = "decoy";

    public string Id { get; set; } = "";
    /// <summary>The message kind (<c>reset-password</c>, <c>phone-otp</c>…), for logs and the operator.</summary>
    public string Kind { get; set; } = "";
    /// <summary>The address or phone number.</summary>
    public string Recipient { get; set; } = "";
    /// <summary>The whole message as JSON, encrypted (<see cref="SymmetricCipher"/>); null once dead-lettered.</summary>
    public string? Payload { get; set; }
    /// <summary><see cref="Pending"/> or <see cref="Dead"/> (sent rows are deleted).</summary>
    public string Status { get; set; } = Pending;
    /// <summary>Deliveries started so far (counted when a dispatcher claims the row).</summary>
    public int Attempts { get; set; }
    /// <summary>Not sent before this time (the retry backoff).</summary>
    public DateTime AvailableAt { get; set; }
    /// <summary>The claim of the dispatcher sending it now, if any.</summary>
    public string? ClaimedBy { get; set; }
    /// <summary>When that claim lapses (a dispatcher that died with it claimed); another may then take the row.</summary>
    public DateTime? ClaimedUntil { get; set; }
    /// <summary>The senders that already took the message, one per line, so a retry does not send it through them again.</summary>
    public string? DeliveredTo { get; set; }
    /// <summary>The last failure (exception type and message; never the payload).</summary>
    public string? LastError { get; set; }
    /// <summary>The W3C trace context of the request that queued the message, so its delivery shows in that trace.</summary>
    public string? TraceParent { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static void Configure(ModelBuilder b)
    {
        var row = b.Entity<OutboxRow>().ToTable(TableName);
        row.HasKey(x => x.Id);
        row.Property(x => x.Kind).IsRequired();
        row.Property(x => x.Recipient).IsRequired();
        row.Property(x => x.Status).IsRequired();
        row.HasIndex(x => new { x.Status, x.AvailableAt });
        row.HasIndex(x => x.ClaimedBy);
    }

    /// <summary>A new pending row for a message, its payload encrypted with the current secret.</summary>
    public static OutboxRow For(AuthMessage message, AuthRuntime auth)
    {
        var now = auth.Now;
        return new OutboxRow
        {
            Id = RandomStrings.Id(),
            Kind = message.Kind,
            Recipient = message.To,
            Payload = SymmetricCipher.Encrypt(auth.Secrets, MessagePayload.Write(message)),
            TraceParent = System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } current ? current.Id : null,
            AvailableAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}

/// <summary>An <see cref="AuthMessage"/> as the JSON kept (encrypted) in <see cref="OutboxRow.Payload"/>.</summary>
internal static class MessagePayload
{
    public static string Write(AuthMessage message)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", message.Kind);
            w.WriteString("to", message.To);
            if (message.Channel != AuthMessageChannel.Email) w.WriteString("channel", message.Channel.ToString());
            if (message.Token is not null) w.WriteString("token", message.Token);
            if (message.Otp is not null) w.WriteString("otp", message.Otp);
            if (message.Url is not null) w.WriteString("url", message.Url);
            w.WriteStartObject("data");
            foreach (var (k, v) in message.Data) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The message, or null when the JSON is not one.</summary>
    public static AuthMessage? Read(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "kind") is not { } kind || Str(root, "to") is not { } to) return null;
            var data = new Dictionary<string, string?>();
            if (root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object)
                foreach (var p in d.EnumerateObject()) data[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
            var channel = AuthMessageChannel.Email;
            if (Str(root, "channel") is { } named && (!Enum.TryParse(named, ignoreCase: false, out channel) || !Enum.IsDefined(channel))) return null;
            return new AuthMessage(kind, to) { Channel = channel, Token = Str(root, "token"), Otp = Str(root, "otp"), Url = Str(root, "url"), Data = data };
        }
        catch (JsonException) { return null; }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
