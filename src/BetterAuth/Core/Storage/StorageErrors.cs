using System.Data.Common;

namespace BetterAuth.Core.Storage;

/// <summary>Database errors that mean "this input cannot be stored", which a request answers as bad input, not as a 500.</summary>
internal static class StorageErrors
{
    /// <summary>
    /// True for a data exception (SQLSTATE class 22: value too long, out of range, bad encoding) or a program limit
    /// (54000: e.g. a value too large for a PostgreSQL btree index entry, as a multi-kilobyte email in the unique index).
    /// </summary>
    public static bool RejectsInput(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is DbException { SqlState: { } state } && (state.StartsWith("22", StringComparison.Ordinal) || state == "54000"))
                return true;
        return false;
    }
}
