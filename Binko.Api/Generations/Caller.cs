using Binko.Api.Extensions;
using Binko.Api.Http;
using Binko.Data.Generations;
using Binko.Data.Quotas;
using Microsoft.Extensions.Options;

namespace Binko.Api.Generations;

/// <summary>Who owns a generation and whose allowance it spends: a user by token, a guest by client IP (an IPv6 guest by
/// its /64: <see cref="GuestNetwork"/>).</summary>
public sealed record Caller(string OwnerId, string? UserId, string Plan, int DailyQuota)
{
    public bool IsGuest => UserId is null;

    public static Caller From(CurrentUser user, HttpContext context, QuotaOptions quotas)
    {
        if (user.Id is { } id)
            return new Caller(Owners.User(id), id, user.Plan, quotas.For(user.Plan));
        return new Caller(Owners.Guest(GuestNetwork.Of(context.Connection)), null, Plans.Guest, quotas.For(Plans.Guest));
    }
}

public static class CallerExtensions
{
    public static void AddCaller(this IServiceCollection services) =>
        services.AddScoped(provider => Caller.From(
            provider.GetRequiredService<CurrentUser>(),
            provider.GetRequiredService<IHttpContextAccessor>().HttpContext
                ?? throw new InvalidOperationException("A caller exists only within a request."),
            provider.GetRequiredService<IOptions<QuotaOptions>>().Value));
}
