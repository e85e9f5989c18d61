using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Binko.Tests.Infrastructure.FakeLlm;

/// <summary>What the fake LLM answers to one call. Script calls with <see cref="FakeLlmServer.Enqueue"/>.</summary>
public abstract class FakeLlmReply
{
    internal abstract Task WriteAsync(HttpContext http, FakeLlmRequest request, string model);

    /// <summary>Valid ideas for what the prompt asked (the default).</summary>
    public static FakeLlmReply Ideas() => new ContentReply(FakeIdeas.Json);

    /// <summary>The assistant message's content, as given (any text: JSON, prose, broken JSON).</summary>
    public static FakeLlmReply Content(string content) => new ContentReply(_ => content);

    /// <summary>The assistant message's content, computed from the request.</summary>
    public static FakeLlmReply Content(Func<FakeLlmRequest, string> content) => new ContentReply(content);

    /// <summary>Valid ideas inside a ```json fence with a line of prose before it.</summary>
    public static FakeLlmReply CodeFenced() => new ContentReply(r => $"Here are your ideas:\n```json\n{FakeIdeas.Json(r)}\n```\n");

    /// <summary>JSON cut off in the middle.</summary>
    public static FakeLlmReply BrokenJson() => new ContentReply(r => FakeIdeas.Json(r)[..40]);

    /// <summary>An error status, optionally with <c>Retry-After</c> (seconds) or <c>retry-after-ms</c>.</summary>
    public static FakeLlmReply Status(int status, int? retryAfterSeconds = null, int? retryAfterMs = null) =>
        new StatusReply(status, retryAfterSeconds, retryAfterMs);

    /// <summary>A 200 whose body stops in the middle: the connection is reset once the caller has had the headers.</summary>
    public static FakeLlmReply Cut() => new CutReply();

    /// <summary>Waits <paramref name="delay"/> (or until the caller gives up), then answers <paramref name="then"/>.</summary>
    public static FakeLlmReply Delay(TimeSpan delay, FakeLlmReply? then = null) => new DelayReply(delay, then ?? Ideas());

    /// <summary>Holds the call until <see cref="FakeLlmHold.Release"/> (or the caller goes away), then answers.</summary>
    public static FakeLlmReply Hold(FakeLlmHold hold, FakeLlmReply? then = null) => new HoldReply(hold, then ?? Ideas());

    private sealed class ContentReply(Func<FakeLlmRequest, string> content) : FakeLlmReply
    {
        internal override Task WriteAsync(HttpContext http, FakeLlmRequest request, string model)
        {
            var text = content(request);
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                id = $"chatcmpl-fake-{request.Number}",
                @object = "chat.completion",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
                usage = new { prompt_tokens = request.AllText.Length / 4, completion_tokens = text.Length / 4, total_tokens = (request.AllText.Length + text.Length) / 4 },
            }));
        }
    }

    private sealed class StatusReply(int status, int? retryAfterSeconds, int? retryAfterMs) : FakeLlmReply
    {
        internal override Task WriteAsync(HttpContext http, FakeLlmRequest request, string model)
        {
            http.Response.StatusCode = status;
            if (retryAfterSeconds is { } seconds)
                http.Response.Headers.RetryAfter = seconds.ToString();
            if (retryAfterMs is { } ms)
                http.Response.Headers["retry-after-ms"] = ms.ToString();
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                error = new { message = $"fake error {status}", type = status == 429 ? "rate_limit_exceeded" : "server_error", code = (string?)null },
            }));
        }
    }

    private sealed class CutReply : FakeLlmReply
    {
        internal override async Task WriteAsync(HttpContext http, FakeLlmRequest request, string model)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync($"{{\"id\":\"chatcmpl-fake-{request.Number}\",\"object\":\"chat.completion\",\"choices\":[");
            await http.Response.Body.FlushAsync(http.RequestAborted);
            // Long enough for the client to have returned the response and to be reading its body.
            await Task.Delay(TimeSpan.FromMilliseconds(200), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            http.Abort();
        }
    }

    private sealed class DelayReply(TimeSpan delay, FakeLlmReply then) : FakeLlmReply
    {
        internal override async Task WriteAsync(HttpContext http, FakeLlmRequest request, string model)
        {
            try
            {
                await Task.Delay(delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the caller timed out and closed the connection
            }
            await then.WriteAsync(http, request, model);
        }
    }

    private sealed class HoldReply(FakeLlmHold hold, FakeLlmReply then) : FakeLlmReply
    {
        internal override async Task WriteAsync(HttpContext http, FakeLlmRequest request, string model)
        {
            hold.Arrived();
            try
            {
                await hold.Released.WaitAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the caller (e.g. a killed worker) went away
            }
            await then.WriteAsync(http, request, model);
        }
    }
}

/// <summary>A gate for <see cref="FakeLlmReply.Hold"/>: know when the call arrived, and let it go.</summary>
public sealed class FakeLlmHold
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Reached => _arrived.Task;

    internal Task Released => _released.Task;

    internal void Arrived() => _arrived.TrySetResult();

    public void Release() => _released.TrySetResult();
}
