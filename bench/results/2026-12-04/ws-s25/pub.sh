#!/usr/bin/env bash
# pub.sh SRC DIR: publish server and bench from worktree SRC into DIR
set -e
cd "$1"
dotnet publish src/Messenger.Server -c Release -o "$2/server" --nologo -v quiet 2>&1 | tail -5
dotnet publish bench/Messenger.Bench -c Release -o "$2/bench" --nologo -v quiet 2>&1 | tail -5
