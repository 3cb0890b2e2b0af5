using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BetterAuth.Core.Storage;

/// <summary>
/// Better Auth's column conventions: camelCase column names, and on SQLite the values its Kysely adapter writes
/// (booleans as 0/1, dates as ISO-8601 UTC strings with milliseconds, e.g. <c>2025-06-27T10:00:00.000Z</c>).
/// ISO strings of one fixed width also compare correctly as text, so expiry queries run in SQL.
/// </summary>
internal static class StorageConventions
{
    public static void Apply(ModelBuilder b, string? provider)
    {
        var sqlite = provider?.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) == true;
        foreach (var entity in b.Model.GetEntityTypes())
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
            }
        }
    }

    private static readonly ValueConverter<DateTime, string> IsoDate = new(
        v => JsDate.Format(v), v => JsDate.Parse(v));

    private static readonly ValueConverter<DateTime?, string?> IsoDateNullable = new(
        v => v == null ? null : JsDate.Format(v.Value), v => v == null ? null : JsDate.Parse(v));
}

/// <summary>Dates the JavaScript way: <c>toISOString()</c> (UTC, milliseconds, Z).</summary>
public static class JsDate
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

public static class JsonNaming
{
    public static string Camel(string name) =>
        string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
