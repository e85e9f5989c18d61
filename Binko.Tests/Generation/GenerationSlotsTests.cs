using Binko.GenerationWorker.Jobs;
using Binko.GenerationWorker.Options;
using Microsoft.Extensions.Options;

namespace Binko.Tests.Generation;

public sealed class GenerationSlotsTests
{
    [Fact]
    public async Task A_generation_waits_for_a_free_slot_and_a_failed_one_frees_its_slot()
    {
        using var slots = new GenerationSlots(Options.Create(new GenerationOptions { Concurrency = 2 }));
        var first = new TaskCompletionSource<int>();
        var second = new TaskCompletionSource<int>();
        var thirdStarted = new TaskCompletionSource();

        var running1 = slots.RunAsync(() => first.Task, CancellationToken.None);
        var running2 = slots.RunAsync(() => second.Task, CancellationToken.None);
        var waiting = slots.RunAsync(() => { thirdStarted.SetResult(); return Task.FromResult(3); }, CancellationToken.None);

        Assert.False(thirdStarted.Task.IsCompleted);
        first.SetException(new InvalidOperationException("LLM failed"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => running1);
        Assert.Equal(3, await waiting);
        second.SetResult(2);
        Assert.Equal(2, await running2);
    }

    [Fact]
    public async Task Waiting_for_a_slot_ends_when_the_worker_stops()
    {
        using var slots = new GenerationSlots(Options.Create(new GenerationOptions { Concurrency = 1 }));
        var held = new TaskCompletionSource<int>();
        using var stopping = new CancellationTokenSource();
        _ = slots.RunAsync(() => held.Task, CancellationToken.None);

        var waiting = slots.RunAsync(() => Task.FromResult(1), stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Theory]
    [InlineData(16, null, 20)]
    [InlineData(4, null, 5)]
    [InlineData(1, null, 2)]
    [InlineData(16, 0, 16)]
    [InlineData(2, 3, 5)]
    public void Claim_loops_are_the_slots_plus_those_claiming_ahead(int concurrency, int? claimAhead, int loops) =>
        Assert.Equal(loops, new GenerationOptions { Concurrency = concurrency, ClaimAhead = claimAhead }.ClaimLoops);
}
