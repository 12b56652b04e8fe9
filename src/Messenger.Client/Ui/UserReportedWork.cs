using Messenger.Protocol.Tasks;

namespace Messenger.Client.Ui;

/// <summary>The client's <see cref="BackgroundWork"/>: a failure is shown to the user as a line saying what was being done.</summary>
public static class UserReportedWork
{
    public static BackgroundWork Create(IUserInterface ui) =>
        new((what, failure) => ui.WriteLine($"Internal error while {what}: {failure.GetType().Name}: {TextSanitizer.Escape(failure.Message)}"));
}
