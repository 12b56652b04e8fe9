// Tests share nothing but read-only certificates, and each uses its own temporary folder.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]
