using Messenger.Server.Tests.Storage.Contract;

namespace Messenger.Server.Tests.Storage.Sqlite;

[TestClass]
public sealed class SqliteUserSettingsTests : UserSettingsContract<SqliteBackend>;
