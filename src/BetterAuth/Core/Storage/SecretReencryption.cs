using System.Data.Common;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Plugins;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

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
/// <param name="Columns">Each encrypted column of the enabled plugins (and core's message outbox).</param>
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

/// <summary>
/// Moves every stored ciphertext (the columns plugins declared with <c>AddEncryptedColumn</c>) to the current secret, so
/// older secrets can be removed from <see cref="BetterAuthOptions.Secrets"/>. Rows are read in key order, a batch at a
/// time, and each value is replaced only if it is still the one read (compare-and-set), so it runs safely beside live
/// servers: a value a request changes meanwhile is left to that request (which writes it with the current secret).
/// Running it again finds nothing to do. Servers must already list the new secret before it runs, or they could not
/// read what it writes.
/// </summary>
internal static class SecretReencryption
{
    public static async Task<SecretReencryptionReport> RunAsync(AuthDbContext db, SecretKeyring secrets, IEnumerable<EncryptedColumn> columns,
        int batchSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (secrets.CurrentVersion is not { } version) return new SecretReencryptionReport(null, []);
        var results = new List<ReencryptedColumn>();
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        try
        {
            foreach (var column in columns.Distinct())
            {
                if (db.Model.FindEntityType(column.Entity) is not { } entity || entity.GetTableName() is not { } table) continue;
                var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
                var key = entity.FindPrimaryKey()?.Properties is [var keyProperty] ? keyProperty.GetColumnName(store) : null;
                var value = entity.FindProperty(column.Property)?.GetColumnName(store);
                if (key is null || value is null) continue;
                results.Add(await RunColumnAsync(connection, secrets, table, key, value, batchSize, ct));
            }
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
        return new SecretReencryptionReport(version, results);
    }

    private static async Task<ReencryptedColumn> RunColumnAsync(DbConnection connection, SecretKeyring secrets, string table, string key,
        string column, int batchSize, CancellationToken ct)
    {
        int reencrypted = 0, current = 0, unreadable = 0, changed = 0;
        var after = ""; // ids are never empty
        var select = $"SELECT {Quote(key)}, {Quote(column)} FROM {Quote(table)} WHERE {Quote(key)} > @after ORDER BY {Quote(key)} LIMIT {batchSize}";
        var update = $"UPDATE {Quote(table)} SET {Quote(column)} = @new WHERE {Quote(key)} = @id AND {Quote(column)} = @old";
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
                if (SymmetricCipher.IsCurrent(secrets, stored)) { current++; continue; }
                if (SymmetricCipher.TryDecrypt(secrets, stored) is not { } plaintext) { unreadable++; continue; }
                await using var command = connection.CreateCommand();
                command.CommandText = update;
                Add(command, "@new", SymmetricCipher.Encrypt(secrets, plaintext));
                Add(command, "@id", id);
                Add(command, "@old", stored);
                if (await command.ExecuteNonQueryAsync(ct) == 1) reencrypted++;
                else changed++;
            }
            after = batch[^1].Id;
        }
        return new ReencryptedColumn(table, column, reencrypted, current, unreadable, changed);
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
