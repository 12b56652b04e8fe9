using Messenger.Server.Tests.Storage.Contract;

namespace Messenger.Server.Tests.Storage.Postgres;

[TestClass]
public sealed class PostgresUserSettingsTests : UserSettingsContract<PostgresBackend>;
