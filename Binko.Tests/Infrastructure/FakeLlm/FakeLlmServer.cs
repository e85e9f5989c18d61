using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Binko.Tests.Infrastructure.FakeLlm;

/// <summary>
/// An OpenAI-compatible chat-completions server inside the test process (Kestrel on 127.0.0.1, a free port):
/// <c>POST {any base path}/chat/completions</c>, non-streaming, answers with OpenAI-shaped JSON and <c>usage</c>.
/// Each call takes the next scripted <see cref="FakeLlmReply"/>, or <see cref="Default"/> when the script is empty,
/// and is recorded in <see cref="Requests"/>.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeLlmReply> _script = new();
    private readonly List<FakeLlmRequest> _requests = [];
    private readonly WebApplication _app;
    private readonly string _model;
    private int _calls;

    private FakeLlmServer(string model)
    {
        _model = model;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public static async Task<FakeLlmServer> StartAsync(string model = "fake-model")
    {
        var server = new FakeLlmServer(model);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string Model => _model;

    /// <summary>The value for <c>ConnectionStrings:llm</c>.</summary>
    public string ConnectionString => $"Endpoint={BaseAddress}v1;Key=test;Model={_model}";

    /// <summary>The answer when nothing is scripted (valid ideas, unless changed).</summary>
    public FakeLlmReply Default { get; set; } = FakeLlmReply.Ideas();

    /// <summary>Added to every call before its reply (e.g. a fixed LLM latency for a benchmark).</summary>
    public TimeSpan Latency { get; set; }

    public int CallCount => Volatile.Read(ref _calls);

    public IReadOnlyList<FakeLlmRequest> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    /// <summary>The next calls' replies, in order.</summary>
    public void Enqueue(params FakeLlmReply[] replies)
    {
        foreach (var reply in replies)
            _script.Enqueue(reply);
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path.Value?.EndsWith("/chat/completions", StringComparison.Ordinal) != true)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var request = FakeLlmRequest.Parse(Interlocked.Increment(ref _calls), DateTimeOffset.UtcNow, body);
        lock (_requests)
            _requests.Add(request);
        var reply = _script.TryDequeue(out var scripted) ? scripted : Default;
        if (Latency > TimeSpan.Zero)
            await Task.Delay(Latency, http.RequestAborted);
        await reply.WriteAsync(http, request, _model);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
