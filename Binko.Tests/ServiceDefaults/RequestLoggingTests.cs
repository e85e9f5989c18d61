using Binko.ServiceDefaults;
using Binko.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Binko.Tests.ServiceDefaults;

public sealed class RequestLoggingTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<RequestLoggingMiddleware> _logger = new();

    [Fact]
    public async Task Each_request_is_logged_once_with_method_route_status_and_duration_but_no_query()
    {
        var context = Request("GET", "/api/v1/ideas", "?q=secret-token");
        var middleware = Middleware(async ctx =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(12));
            ctx.Response.StatusCode = 204;
            await Task.CompletedTask;
        });

        await middleware.InvokeAsync(context);

        var record = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Equal("HTTP GET /api/v1/ideas responded 204 in 12 ms", record.Message);
        Assert.DoesNotContain("secret-token", record.Message);
    }

    [Fact]
    public async Task Requests_slower_than_the_threshold_are_warnings()
    {
        var middleware = Middleware(_ =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            return Task.CompletedTask;
        }, thresholdMs: 200);

        await middleware.InvokeAsync(Request("POST", "/api/v1/generations"));

        var record = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.StartsWith("Slow request: HTTP POST /api/v1/generations responded 200 in 250 ms", record.Message);
    }

    [Fact]
    public async Task A_request_that_throws_is_still_logged()
    {
        var middleware = Middleware(_ => throw new InvalidOperationException("boom"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.InvokeAsync(Request("GET", "/x")));

        Assert.Single(_logger.Collector.GetSnapshot());
    }

    private RequestLoggingMiddleware Middleware(RequestDelegate next, int thresholdMs = 1000) =>
        new(next, _logger, new OptionsMonitorStub(new ObservabilityOptions { SlowRequestThresholdMs = thresholdMs }), _time);

    private static DefaultHttpContext Request(string method, string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    private sealed class OptionsMonitorStub(ObservabilityOptions value) : IOptionsMonitor<ObservabilityOptions>
    {
        public ObservabilityOptions CurrentValue => value;
        public ObservabilityOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<ObservabilityOptions, string?> listener) => null;
    }
}
