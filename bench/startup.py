#!/usr/bin/env python3
"""Start-up time of the client and the server, JIT and native AOT side by side (issue 17, item 2).

Client: process start to the `Username: ` prompt on a terminal (a pseudo-terminal here), which includes the TCP
connect and the TLS handshake with a running server, as a user sees it. Server: process start to `Listening on`.
Each is run RUNS times, interleaved, and the median [min, max] in milliseconds is printed. Since the client shows its
first prompt while it connects (issue 17), the prompt no longer includes the TLS handshake; "to logged in" does: pipe
mode, name and password on stdin, until the server's welcome line (connect, TLS, login round trip). Optional
--*-client-before binaries (an older build) are run in the same rounds, for a before/after.

    python3 bench/startup.py --jit-client out/client.dll --aot-client out-native/client \
        --jit-server out/server.dll --aot-server out-native/server [--runs 11]
"""
import argparse
import os
import pty
import select
import shutil
import socket
import statistics
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def command(path):
    """A .dll runs under `dotnet`; anything else is a native executable."""
    return ["dotnet", path] if path.endswith(".dll") else [path]


def time_until(argv, marker, use_pty, cwd, env, timeout=30.0, stdin_data=None):
    """Milliseconds from spawning argv until `marker` appears in its output; the process is then killed."""
    start = time.perf_counter()
    if use_pty:
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        process = None
    else:
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   stdin=subprocess.PIPE)
        fd = process.stdout.fileno()
        if stdin_data is not None:
            process.stdin.write(stdin_data)
            process.stdin.flush()
    seen = b""
    try:
        while marker not in seen:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError(f"{argv}: no {marker!r} within {timeout} s; saw {seen[-200:]!r}")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise RuntimeError(f"{argv} ended before {marker!r}; saw {seen[-200:]!r}")
                seen += chunk
        return (time.perf_counter() - start) * 1000
    finally:
        if process is None:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            os.close(fd)
        else:
            process.kill()
            process.wait()


def start_server(argv, folder, port):
    server = subprocess.Popen(argv + [str(port), "60", "300", "--listen", "127.0.0.1", "--credentials", "creds.txt",
                                      "--data-dir", "data"], cwd=folder, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    line = server.stdout.readline()
    if not line.startswith(b"Listening on"):
        server.kill()
        raise RuntimeError(f"server did not start: {line!r}")
    return server


def summary(samples):
    return f"{statistics.median(samples):7.1f} ms [{min(samples):.1f}, {max(samples):.1f}]"


def main():
    parser = argparse.ArgumentParser()
    for kind in ("jit-client", "aot-client", "jit-server", "aot-server"):
        parser.add_argument("--" + kind, required=True)
    for kind in ("jit-client-before", "aot-client-before"):
        parser.add_argument("--" + kind)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="messenger-startup-")
    try:
        with open(os.path.join(folder, "creds.txt"), "w") as creds:
            creds.write("alice alice-pass\n")
            # One account per pipe login: a killed client's session is kept for resumption (30 s), which would refuse
            # the same name's next login.
            creds.writelines(f"p{i} p{i}-pass\n" for i in range(4 * args.runs))
        env = dict(os.environ, HOME=folder, XDG_STATE_HOME=os.path.join(folder, "state"), TERM="xterm")
        clients = [(name, path) for name, path in (("client JIT", args.jit_client), ("client AOT", args.aot_client),
                                                     ("client JIT before", args.jit_client_before),
                                                     ("client AOT before", args.aot_client_before)) if path]
        results = {}
        for name, _ in clients:
            results[name] = []
            results[name + ", to logged in (pipe)"] = []
        results.update({"server JIT": [], "server AOT": []})
        port = free_port()
        server = start_server(command(args.jit_server), folder, port)
        try:
            # The first connection pins the server's key; that one-time step is not what is measured.
            time_until(command(args.jit_client) + ["127.0.0.1", str(port)], b"Username:", True, folder, env)
            logins = 0
            for _ in range(args.runs):
                for name, client in clients:
                    argv = command(client) + ["127.0.0.1", str(port)]
                    results[name].append(time_until(argv, b"Username:", True, folder, env))
                    results[name + ", to logged in (pipe)"].append(
                        time_until(argv, b"Welcome", False, folder, env, stdin_data=f"p{logins}\np{logins}-pass\n".encode()))
                    logins += 1
        finally:
            server.kill()
            server.wait()
        # The server's data folder (its key, its database) was made by the first start: these are restarts.
        for _ in range(args.runs):
            for name, path in (("server JIT", args.jit_server), ("server AOT", args.aot_server)):
                results[name].append(time_until(command(path) + [str(free_port()), "60", "300", "--listen",
                                                "127.0.0.1", "--credentials", "creds.txt", "--data-dir", "data"],
                                                b"Listening on", False, folder, env))
        print(f"start-up, median [min, max] of {args.runs} runs")
        for name, samples in results.items():
            print(f"  {name}: {summary(samples)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
