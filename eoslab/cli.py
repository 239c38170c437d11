"""`eoslab`: the lab, the book's demo, and a log dump from the command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _demo(args: argparse.Namespace) -> int:
    from .scenarios import peter_test05
    from .views import dump_log_lines

    cluster, printed = peter_test05()
    print("Journal:")
    for line in cluster.journal.lines():
        print(" ", line)
    print()
    for line in dump_log_lines(cluster.partition("peter-test05", 0)):
        print(line)
    print()
    print(f"read_committed consumer printed offsets {printed}: offsets 1 and 3 are COMMIT markers")
    return 0


def _lab(args: argparse.Namespace) -> int:
    labs = Path(args.labs)
    command = ["jupyter", "lab", f"--notebook-dir={labs}", *args.jupyter_args]
    os.execvp(command[0], command)
    return 0  # not reached


def _serve(args: argparse.Namespace) -> int:
    import time

    from . import Cluster
    from .wire import WireServer

    cluster = Cluster(brokers=args.brokers, seed=args.seed)
    for spec in args.topic:
        name, _, partitions = spec.partition(":")
        cluster.create_topics([(name, int(partitions or 1), 1)])
    server = WireServer(cluster, "127.0.0.1", args.port).start()
    print(f"eoslab cluster serving the Kafka protocol on {server.bootstrap_servers}", flush=True)
    try:
        deadline = None if args.seconds is None else time.monotonic() + args.seconds
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    """Real-cluster mode from the command line: partitions, then each partition's log dump."""
    from .views import dump_log_lines, partitions
    from .wire import snapshot

    snap = snapshot(
        args.bootstrap_servers, args.topic or None, internal=args.internal, timeout_s=args.timeout
    )
    print(snap)
    print(partitions(snap, internal=args.internal).to_string(index=False))
    for name in snap.list_topics(internal=args.internal):
        for p in snap.topics[name].partitions:
            print()
            for line in dump_log_lines(p):
                print(line)
            for note in p.notes:
                print(f"note: {note}")
    for what, why in snap.unavailable.items():
        print(f"unavailable: {what}: {why}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eoslab", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the book's peter-test05 scenario and print the log")
    demo.set_defaults(run=_demo)
    lab = sub.add_parser("lab", help="start JupyterLab on the labs")
    lab.add_argument("--labs", default="labs")
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER)
    lab.set_defaults(run=_lab)
    serve = sub.add_parser(
        "serve", help="serve an embedded cluster on the Kafka protocol (127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=0, help="first port (0: any free port)")
    serve.add_argument("--brokers", type=int, default=1)
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument("--topic", action="append", default=[], help="NAME[:PARTITIONS], repeatable")
    serve.add_argument("--seconds", type=float, default=None, help="stop after this long")
    serve.set_defaults(run=_serve)
    snap = sub.add_parser(
        "snapshot",
        help="read a real Kafka cluster once (read-only) and print its partitions and logs",
    )
    snap.add_argument("bootstrap_servers", help="HOST:PORT[,HOST:PORT...]")
    snap.add_argument("--topic", action="append", default=[], help="repeatable; default: all")
    snap.add_argument(
        "--internal", action="store_true", help="also __transaction_state, __consumer_offsets"
    )
    snap.add_argument("--timeout", type=float, default=30.0, help="seconds for the whole read")
    snap.set_defaults(run=_snapshot)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
