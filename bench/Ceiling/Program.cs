using Microsoft.Data.Sqlite;

// GET /two-lookups?token=T: session by token, then user by id, on the same SQLite file the benchmark uses.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "3900", System.Globalization.CultureInfo.InvariantCulture);
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
var connectionString = $"Data Source={Environment.GetEnvironmentVariable("DATABASE_PATH")};Mode=ReadOnly";
var app = builder.Build();
app.MapGet("/two-lookups", async (string token) =>
{
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync();
    await using var session = connection.CreateCommand();
    session.CommandText = "SELECT \"userId\", \"expiresAt\" FROM \"session\" WHERE \"token\" = $t";
    session.Parameters.AddWithValue("$t", token);
    string? userId = null;
    await using (var r = await session.ExecuteReaderAsync())
        if (await r.ReadAsync()) userId = r.GetString(0);
    if (userId is null) return Results.NotFound();
    await using var user = connection.CreateCommand();
    user.CommandText = "SELECT \"id\", \"name\", \"email\" FROM \"user\" WHERE \"id\" = $id";
    user.Parameters.AddWithValue("$id", userId);
    await using var u = await user.ExecuteReaderAsync();
    await u.ReadAsync();
    return Results.Json(new { id = u.GetString(0), name = u.GetString(1), email = u.GetString(2) });
});
app.Run();
