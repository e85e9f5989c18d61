using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Binko.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Binko.Tests.Protection;

public sealed class RequestTimeoutTests(TestInfrastructure infrastructure)
{
    [Fact]
    public async Task A_request_that_outlives_the_default_timeout_gets_a_504_problem_not_a_hung_connection()
    {
        var settings = ProtectionSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync(),
            ("RequestTimeouts:DefaultSeconds", "1"));
        // A handler that waits until its request is aborted, placed after the app's pipeline: it sees what every
        // handler sees, including the RequestAborted that the timeout middleware replaced.
        await using var api = new ProtectedApi(settings, services: services => services.AddSingleton<IStartupFilter>(new SlowHandler()));
        using var client = api.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        var ct = TestContext.Current.CancellationToken;

        using var response = await client.GetAsync(SlowHandler.Path, ct);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("timeout", problem.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task The_default_timeout_is_30_s_and_the_generation_policy_60_s()
    {
        await using var api = new ProtectedApi(ProtectionSettings.For(infrastructure, await infrastructure.CreateMigratedDatabaseAsync()));

        var options = api.Services.GetRequiredService<IOptions<RequestTimeoutOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(30), options.DefaultPolicy?.Timeout);
        Assert.Equal(504, options.DefaultPolicy?.TimeoutStatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Policies[Binko.Api.Extensions.RequestTimeoutPolicies.Generation].Timeout);
    }

    private sealed class SlowHandler : IStartupFilter
    {
        public const string Path = "/test/slow";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use(async (HttpContext context, RequestDelegate inner) =>
            {
                if (context.Request.Path != Path)
                {
                    await inner(context);
                    return;
                }
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            });
        };
    }
}
