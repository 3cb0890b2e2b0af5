using System.Security.Claims;
using JwtResourceApi;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration["PORT"] is { Length: > 0 } port) builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

// The auth server's base URL: Better Auth's default issuer and audience of its JWTs. Its keys are at <issuer>/api/auth/jwks.
var issuer = builder.Configuration["Auth:Issuer"] ?? throw new InvalidOperationException("Set Auth__Issuer to the auth server's base URL.");
var audience = builder.Configuration["Auth:Audience"] ?? issuer;
var jwksUrl = builder.Configuration["Auth:JwksUrl"] ?? issuer.TrimEnd('/') + "/api/auth/jwks";

builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
{
    // Better Auth serves a JWKS but no OpenID discovery document: the configuration is read from the JWKS alone,
    // with the handler's own caching, and a refresh when a token names a key it has not seen (key rotation).
    o.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(jwksUrl, new JwksOnlyRetriever(),
        new HttpDocumentRetriever { RequireHttps = jwksUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) });
    o.MapInboundClaims = false; // keep the token's claim names: sub, email, name...
    o.TokenValidationParameters.ValidIssuer = issuer;
    o.TokenValidationParameters.ValidAudience = audience;
    o.TokenValidationParameters.NameClaimType = "name";
    // The JWT plugin's signing algorithms that Microsoft.IdentityModel supports (it has no EdDSA, Better Auth's default).
    o.TokenValidationParameters.ValidAlgorithms = ["ES256", "ES512", "RS256", "PS256"];
    o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
});
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/health", () => "ok");

// Any valid token: who the auth server says the caller is.
app.MapGet("/me", (ClaimsPrincipal user) => new
{
    sub = user.FindFirstValue("sub"),
    email = user.FindFirstValue("email"),
    name = user.Identity?.Name,
    role = user.FindFirstValue("role"),
}).RequireAuthorization();

// Users whose token says they have the admin plugin's "admin" role.
app.MapGet("/admin", () => new { ok = true }).RequireAuthorization(p => p.RequireClaim("role", "admin"));

app.Run();
