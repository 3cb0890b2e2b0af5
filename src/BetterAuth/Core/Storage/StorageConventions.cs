using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BetterAuth.Core.Storage;

/// <summary>
/// Better Auth's column conventions: camelCase column names, and the types and values its Kysely migrator and
/// adapter use. On SQLite: booleans as 0/1, dates as ISO-8601 UTC strings with milliseconds
/// (e.g. <c>2025-06-27T10:00:00.000Z</c>); ISO strings of one fixed width also compare correctly as text, so
/// expiry queries run in SQL. On PostgreSQL: <c>text</c>, <c>boolean</c>, and <c>timestamp</c> without time zone
/// holding UTC wall-clock time (what Better Auth's pg driver writes on a server whose zone is UTC).
/// </summary>
internal static class StorageConventions
{
    public static void Apply(IEnumerable<Microsoft.EntityFrameworkCore.Metadata.IMutableEntityType> entities, string? provider)
    {
        var sqlite = provider?.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) == true;
        var postgres = provider?.Contains("Npgsql", StringComparison.OrdinalIgnoreCase) == true;
        foreach (var entity in entities)
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                    property.SetColumnName(JsonNaming.Camel(property.Name));
                var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                if (sqlite && type == typeof(DateTime))
                {
                    property.SetValueConverter(property.ClrType == typeof(DateTime) ? IsoDate : IsoDateNullable);
                    property.SetColumnType("date");
                }
                else if (sqlite && type == typeof(bool)) property.SetColumnType("integer");
                else if (sqlite && type == typeof(string)) property.SetColumnType("text");
                else if (postgres && type == typeof(DateTime))
                {
                    property.SetValueConverter(property.ClrType == typeof(DateTime) ? UtcTimestamp : UtcTimestampNullable);
                    property.SetColumnType("timestamp without time zone");
                }
                else if (postgres && type == typeof(bool)) property.SetColumnType("boolean");
                else if (postgres && type == typeof(string)) property.SetColumnType("text");
            }
        }
    }

    // Npgsql refuses to write a UTC DateTime into a "timestamp without time zone" column and reads such columns
    // back as Unspecified, so the UTC instant crosses as a wall-clock value and is tagged UTC again on the way in.
    private static readonly ValueConverter<DateTime, DateTime> UtcTimestamp = new(
        v => PgTimestamp.ToColumn(v), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private static readonly ValueConverter<DateTime?, DateTime?> UtcTimestampNullable = new(
        v => v == null ? null : PgTimestamp.ToColumn(v.Value), v => v == null ? null : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));

    private static readonly ValueConverter<DateTime, string> IsoDate = new(
        v => JsDate.Format(v), v => JsDate.Parse(v));

    private static readonly ValueConverter<DateTime?, string?> IsoDateNullable = new(
        v => v == null ? null : JsDate.Format(v.Value), v => v == null ? null : JsDate.Parse(v));
}

/// <summary>UTC instants as PostgreSQL <c>timestamp</c> (without time zone) values.</summary>
internal static class PgTimestamp
{
    /// <summary>A UTC wall-clock value of kind Unspecified; an Unspecified input is taken to be UTC already.</summary>
    public static DateTime ToColumn(DateTime value) =>
        DateTime.SpecifyKind(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value, DateTimeKind.Unspecified);
}

/// <summary>Dates the JavaScript way: <c>toISOString()</c> (UTC, milliseconds, Z).</summary>
internal static class JsDate
{
    public static string Format(DateTime value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTime Parse(string value)
    {
        // Other writers (Drizzle, Prisma, hand-made rows) may store seconds since the epoch or other ISO forms.
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
            return DateTime.UnixEpoch.AddTicks(epoch * (epoch > 100_000_000_000 ? TimeSpan.TicksPerMillisecond : TimeSpan.TicksPerSecond));
        return DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    /// <summary>Truncates to whole milliseconds, the precision JavaScript and the stored text keep.</summary>
    public static DateTime Truncate(DateTime value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    public static long ToUnixMs(DateTime value) => (long)(value.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;
}

internal static class JsonNaming
{
    public static string Camel(string name) =>
        string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
