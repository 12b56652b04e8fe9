using Microsoft.Extensions.Options;

namespace Messenger.Server.Hosting;

/// <summary>
/// Hands the options system the <see cref="ServerOptions"/> already built from files, environment and command line
/// (an immutable record: it cannot be configured in place), so that the registered validators still run on it, at
/// start (ValidateOnStart) and on every read.
/// </summary>
public sealed class ServerOptionsFactory(ServerOptions built, IEnumerable<IConfigureOptions<ServerOptions>> setups,
    IEnumerable<IPostConfigureOptions<ServerOptions>> postConfigures, IEnumerable<IValidateOptions<ServerOptions>> validations)
    : OptionsFactory<ServerOptions>(setups, postConfigures, validations)
{
    protected override ServerOptions CreateInstance(string name) => built;
}
