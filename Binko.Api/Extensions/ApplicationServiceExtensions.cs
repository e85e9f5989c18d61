using Binko.Data;
using Binko.Data.Schema;
using Binko.ServiceDefaults.Clients;

namespace Binko.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddStartupValidation();   // malformed connection strings, JWT settings: stop with the setting's name
        // The API owns the schema when told to (the AppHost and Development do); otherwise readiness stays
        // Unhealthy until a deployment step has applied the migrations.
        builder.AddBinkoDatabase(new SchemaGateOptions(builder.Configuration.GetValue<bool>("Database:ApplyMigrations")));
        builder.AddBinkoRedisClient("redis");

        builder.AddRequestValidation();   // snake_case JSON, unknown members rejected, validation problems
        builder.AddBinkoAuthentication();
        builder.Services.AddCurrentUser();
        builder.AddCaching();
        builder.AddGenerations();
        builder.AddRateLimits();          // per user / guest IP, shared through Redis, in-process while Redis is down
        builder.AddRequestLimits();       // Kestrel: body 64 KiB, header size/count, connections, no Server header
        builder.AddRequestTimeoutPolicies();
        builder.AddSecurityHeaders();
        builder.AddCorsPolicy();          // Cors:AllowedOrigins only
        builder.AddTrustedProxies();      // X-Forwarded-* from ForwardedHeaders:KnownProxies/KnownNetworks only
        builder.AddApiDocumentation();
    }
}
