using Messenger.Server.Tests.Storage.Contract;

namespace Messenger.Server.Tests.Storage;

[TestClass]
public sealed class SqliteDirectHistoryTests : DirectHistoryContract<SqliteBackend>;
