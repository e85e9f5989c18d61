using Binko.Data;
using Binko.Data.Schema;
using Binko.ServiceDefaults.Clients;

namespace Binko.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // The API owns the schema when told to (the AppHost and Development do); otherwise readiness stays
        // Unhealthy until a deployment step has applied the migrations.
        builder.AddBinkoDatabase(new SchemaGateOptions(builder.Configuration.GetValue<bool>("Database:ApplyMigrations")));
        builder.AddRedisClient("redis");

        builder.AddRequestValidation();   // snake_case JSON, unknown members rejected, validation problems
        builder.AddBinkoAuthentication();
        builder.Services.AddCurrentUser();
        builder.AddCaching();
        builder.AddApiDocumentation();
    }
}
