using System.Data.Common;
using System.Text.Json;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Plugins;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Core.Storage;

/// <summary>What re-encrypting one column did (see <see cref="SecretReencryptionReport"/>).</summary>
/// <param name="Table">The table.</param>
/// <param name="Column">The column.</param>
/// <param name="Reencrypted">Values rewritten with the current secret.</param>
/// <param name="AlreadyCurrent">Values that already named the current secret's version.</param>
/// <param name="Unreadable">Values no configured secret opens (left as they are; they were unusable already).</param>
/// <param name="ChangedMeanwhile">Values the server changed while this ran (it writes them with the current secret).</param>
public sealed record ReencryptedColumn(string Table, string Column, int Reencrypted, int AlreadyCurrent, int Unreadable, int ChangedMeanwhile);

/// <summary>What <c>ReencryptBetterAuthSecretsAsync</c> (the server's <c>rotate-secrets</c>) did.</summary>
/// <param name="CurrentVersion">The version every rewritten value now names; null without versioned secrets (nothing is rewritten).</param>
/// <param name="Columns">Each encrypted column the database has: the enabled plugins' (two-factor secrets and backup codes, JWT private keys), core's message outbox, and any the caller named.</param>
public sealed record SecretReencryptionReport(int? CurrentVersion, IReadOnlyList<ReencryptedColumn> Columns)
{
    /// <summary>Values that no configured secret opens.</summary>
    public int Unreadable => Columns.Sum(c => c.Unreadable);

    /// <summary>One line per column.</summary>
    public override string ToString() => CurrentVersion is null
        ? "no versioned secrets are configured (BETTER_AUTH_SECRETS): nothing to re-encrypt"
        : string.Join(Environment.NewLine, Columns.Select(c =>
            $"{c.Table}.{c.Column}: {c.Reencrypted} re-encrypted to version {CurrentVersion}, {c.AlreadyCurrent} already current, " +
            $"{c.Unreadable} unreadable, {c.ChangedMeanwhile} changed meanwhile"));
}

/// <summary>A column holding ciphertexts, by its table's name (Better Auth's tables all key rows by <c>id</c>).</summary>
internal sealed record CiphertextColumn(string Table, string Key, string Column, CiphertextFormat Format);

/// <summary>
/// Moves every stored ciphertext (the columns plugins declared with <c>AddEncryptedColumn</c>, and any further ones the
/// caller names) to the current secret, so older secrets can be removed from <see cref="BetterAuthOptions.Secrets"/>.
/// Columns whose table or column the database does not have are skipped. Rows are read in key order, a batch at a time,
/// and each value is replaced only if it is still the one read (compare-and-set), so it runs safely beside live
/// servers: a value a request changes meanwhile is left to that request (which writes it with the current secret).
/// Running it again finds nothing to do. Servers must already list the new secret before it runs, or they could not
/// read what it writes.
/// </summary>
internal static class SecretReencryption
{
    /// <summary>Runs over the host's database: the enabled plugins' columns, then <paramref name="extra"/> (where they exist).</summary>
    public static async Task<SecretReencryptionReport> RunAsync(IServiceProvider services, IEnumerable<CiphertextColumn> extra, int batchSize,
        CancellationToken ct)
    {
        var runtime = services.GetRequiredService<AuthRuntime>();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return await RunAsync(db, runtime.Secrets, runtime.Registry.EncryptedColumns, extra, batchSize, ct);
    }

    public static async Task<SecretReencryptionReport> RunAsync(AuthDbContext db, SecretKeyring secrets, IEnumerable<EncryptedColumn> declared,
        IEnumerable<CiphertextColumn> extra, int batchSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (secrets.CurrentVersion is null) return new SecretReencryptionReport(null, []);
        var columns = new List<CiphertextColumn>();
        foreach (var column in declared.Distinct())
        {
            if (db.Model.FindEntityType(column.Entity) is not { } entity || entity.GetTableName() is not { } table) continue;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            var key = entity.FindPrimaryKey()?.Properties is [var keyProperty] ? keyProperty.GetColumnName(store) : null;
            var value = entity.FindProperty(column.Property)?.GetColumnName(store);
            if (key is not null && value is not null) columns.Add(new CiphertextColumn(table, key, value, column.Format));
        }
        foreach (var column in extra)
            if (!columns.Any(c => string.Equals(c.Table, column.Table, StringComparison.OrdinalIgnoreCase) &&
                                  string.Equals(c.Column, column.Column, StringComparison.OrdinalIgnoreCase)))
                columns.Add(column);

        var results = new List<ReencryptedColumn>();
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            var existing = await DatabaseIntrospection.ReadAsync(connection, db.IsSqlite(), null, ct);
            foreach (var column in columns)
            {
                if (!existing.Tables.TryGetValue(column.Table, out var has) || !has.Contains(column.Key) || !has.Contains(column.Column)) continue;
                results.Add(await RunColumnAsync(connection, secrets, column, batchSize, ct));
            }
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
        return new SecretReencryptionReport(secrets.CurrentVersion, results);
    }

    private static async Task<ReencryptedColumn> RunColumnAsync(DbConnection connection, SecretKeyring secrets, CiphertextColumn c,
        int batchSize, CancellationToken ct)
    {
        int reencrypted = 0, current = 0, unreadable = 0, changed = 0;
        var after = ""; // ids are never empty
        var select = $"SELECT {Quote(c.Key)}, {Quote(c.Column)} FROM {Quote(c.Table)} WHERE {Quote(c.Key)} > @after ORDER BY {Quote(c.Key)} LIMIT {batchSize}";
        var update = $"UPDATE {Quote(c.Table)} SET {Quote(c.Column)} = @new WHERE {Quote(c.Key)} = @id AND {Quote(c.Column)} = @old";
        while (true)
        {
            var batch = new List<(string Id, string? Value)>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = select;
                Add(command, "@after", after);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    batch.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
            if (batch.Count == 0) break;
            foreach (var (id, stored) in batch)
            {
                if (string.IsNullOrEmpty(stored)) continue;
                var plain = false;
                var ciphertext = c.Format == CiphertextFormat.JsonString ? JsonStringValue(stored, out plain) : stored;
                if (ciphertext is null)
                {
                    if (!plain) unreadable++;
                    continue; // stored unencrypted (a JSON object): nothing to move
                }
                if (SymmetricCipher.IsCurrent(secrets, ciphertext)) { current++; continue; }
                if (SymmetricCipher.TryDecrypt(secrets, ciphertext) is not { } plaintext) { unreadable++; continue; }
                var rewritten = SymmetricCipher.Encrypt(secrets, plaintext);
                await using var command = connection.CreateCommand();
                command.CommandText = update;
                Add(command, "@new", c.Format == CiphertextFormat.JsonString ? JsonSerializer.Serialize(rewritten) : rewritten);
                Add(command, "@id", id);
                Add(command, "@old", stored);
                if (await command.ExecuteNonQueryAsync(ct) == 1) reencrypted++;
                else changed++;
            }
            after = batch[^1].Id;
        }
        return new ReencryptedColumn(c.Table, c.Column, reencrypted, current, unreadable, changed);
    }

    /// <summary>The string a JSON string holds; null otherwise, with <paramref name="plain"/> true for a JSON object (an unencrypted value).</summary>
    private static string? JsonStringValue(string stored, out bool plain)
    {
        plain = false;
        try
        {
            using var doc = JsonDocument.Parse(stored);
            plain = doc.RootElement.ValueKind == JsonValueKind.Object;
            return doc.RootElement.ValueKind == JsonValueKind.String ? doc.RootElement.GetString() : null;
        }
        catch (JsonException) { return null; }
    }

    private static void Add(DbCommand command, string name, string? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = (object?)value ?? DBNull.Value;
        p.DbType = System.Data.DbType.String;
        command.Parameters.Add(p);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
