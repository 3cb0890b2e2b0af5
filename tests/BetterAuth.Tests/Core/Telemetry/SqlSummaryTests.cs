using BetterAuth.Core.Telemetry;

namespace BetterAuth.Tests.Core.Telemetry;

/// <summary>How a database span is named from its command: OpenTelemetry's "{operation} {table}", batches as BATCH.</summary>
public sealed class SqlSummaryTests
{
    [Theory]
    [InlineData("SELECT s.\"id\" FROM \"session\" AS s WHERE s.\"token\" = @p0", "SELECT", "session", "SELECT session", 1)]
    [InlineData("  insert into user_x (id) values ($1)", "INSERT", "user_x", "INSERT user_x", 1)]
    [InlineData("UPDATE \"public\".\"account\" SET \"password\" = @p0 WHERE \"id\" = @p1;", "UPDATE", "account", "UPDATE account", 1)]
    [InlineData("SELECT 1", "SELECT", null, "SELECT", 1)]
    // EF Core's SaveChanges on PostgreSQL: one command, several statements.
    [InlineData("INSERT INTO \"user\" (\"id\") VALUES (@p0);\nINSERT INTO \"account\" (\"id\") VALUES (@p1);\nINSERT INTO \"session\" (\"id\") VALUES (@p2);",
        "BATCH INSERT", null, "INSERT user; INSERT account; INSERT session", 3)]
    [InlineData("DELETE FROM \"verification\" WHERE \"id\" = @p0;\nDELETE FROM \"verification\" WHERE \"id\" = @p1;", "BATCH DELETE", "verification", "DELETE verification", 2)]
    [InlineData("UPDATE \"user\" SET x = @p0;\nINSERT INTO \"session\" (\"id\") VALUES (@p1);", "BATCH", null, "UPDATE user; INSERT session", 2)]
    public void NamesTheOperationTableAndBatch(string sql, string operation, string? table, string summary, int statements) =>
        Assert.Equal(new SqlSummaryResult(operation, table, summary, statements), SqlSummary.Of(sql));

    [Fact]
    public void NothingToRead_IsNoSummary() => Assert.Equal(default, SqlSummary.Of("  "));
}
