using System.Data.Common;
using System.Globalization;

namespace BetterAuth.Core.Storage;

/// <summary>Column values as the storage conventions keep them (SQLite: dates as ISO text, booleans as 0/1), read back.</summary>
internal static class RowValues
{
    public static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static DateTime Date(DbDataReader r, int i) => NullableDate(r, i) ?? throw new InvalidCastException("date column is null");

    /// <summary>SQLite stores dates as ISO text (or epoch numbers from other writers); PostgreSQL as timestamps.</summary>
    public static DateTime? NullableDate(DbDataReader r, int i)
    {
        if (r.IsDBNull(i)) return null;
        return r.GetFieldType(i) switch
        {
            var t when t == typeof(string) => JsDate.Parse(r.GetString(i)),
            var t when t == typeof(long) => JsDate.Parse(r.GetInt64(i).ToString(CultureInfo.InvariantCulture)),
            _ => DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc),
        };
    }

    public static bool? Bool(DbDataReader r, int i)
    {
        if (r.IsDBNull(i)) return null;
        var v = r.GetValue(i);
        return v switch { bool b => b, long l => l != 0, int n => n != 0, string s => s is "1" or "true", _ => Convert.ToBoolean(v, CultureInfo.InvariantCulture) };
    }
}
