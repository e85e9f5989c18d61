using Binko.Api.Apis;
using Binko.Api.Extensions;
using Binko.ServiceDefaults;

namespace Binko.Api;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddBasicServiceDefaults();
        builder.AddApplicationServices();

        var app = builder.Build();
        app.UseTrustedProxies();
        app.UseServiceDefaults();
        app.UseSecurityHeaders();
        app.UseCorsPolicy();
        app.UseAuthentication();
        app.UseRateLimits();
        app.UseAuthorization();
        app.UseRequestTimeoutPolicies();

        app.MapDefaultEndpoints();
        app.MapApiDocumentation();

        var v1 = app.MapGroup("/api/v1");
        v1.MapIdeasApi();
        v1.MapProfileApi();
        v1.MapGenerationsApi();
        v1.MapRefineApi();
        v1.MapFeedbackApi();
        v1.MapEventsApi();
        v1.MapStatsApi();
        v1.MapAdminApi();

        app.Run();
    }
}
